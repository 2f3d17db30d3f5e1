// t/helper/duckdb.js QUERY...: run SQL with DuckDB (npm @duckdb/node-api,
// installed into .output/npm by scripts/install-deps); print each row's
// values joined by '|'. The tests' independent reader of our Parquet.
const d = require("@duckdb/node-api");
(async () => {
	const inst = await d.DuckDBInstance.create(":memory:");
	const c = await inst.connect();
	for (const q of process.argv.slice(2)) {
		const r = await c.runAndReadAll(q);
		for (const row of r.getRowsJson())
			console.log(row.map(v => v === null ? "NULL" : String(v)).join("|"));
	}
})().catch(e => { console.error("duckdb: " + e.message); process.exit(1); });
