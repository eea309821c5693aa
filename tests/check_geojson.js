// Structural GeoJSON check for the export tests, offline: @placemarkio/check-geojson.
// Usage: node check_geojson.js FILE [--lines]
// Prints a JSON list of issues (one list per line of a GeoJSON Sequence with --lines)
// and exits 1 when there is any.
"use strict";
const fs = require("fs");
const { getIssues } = require("@placemarkio/check-geojson");

const [file, mode] = process.argv.slice(2);
const text = fs.readFileSync(file, "utf8");
const docs = mode === "--lines" ? text.split("\n").filter((l) => l.trim()) : [text];
const issues = docs.map((doc) => getIssues(doc));
process.stdout.write(JSON.stringify(issues) + "\n");
process.exit(issues.some((i) => i.length) ? 1 : 0);
