#!/usr/bin/env node
// Checks an iCalendar file with ical.js (installed by scripts/ical-parsers
// into .ci/node).
//
// usage: check_ics.js FILE.ics EXPECTED.json
//
// Same contract as check_ics.py: every VEVENT must match an expected event
// by UID (summary, start, end, location, and description/rrule when given),
// and every expected event must be there. Times with a TZID are compared in
// UTC, through the file's VTIMEZONEs. An expected "occurrences" (checked
// here only: ical.js expands rules) lists the first starts of a
// recurrence, in UTC. Prints "N events ok", or each mismatch and exits 1.
"use strict";
const fs = require("fs");
const path = require("path");

const ICAL = require(require.resolve("ical.js", {
  paths: [path.join(__dirname, "..", ".ci", "node")],
}));

function when(t) {
  const pad = (n, w = 2) => String(n).padStart(w, "0");
  const day = `${pad(t.year, 4)}-${pad(t.month)}-${pad(t.day)}`;
  if (t.isDate) return day;
  const s = `${day}T${pad(t.hour)}:${pad(t.minute)}:${pad(t.second)}`;
  if (t.zone === ICAL.Timezone.utcTimezone) return s + "Z";
  if (t.zone === ICAL.Timezone.localTimezone || !t.zone) return s;
  if (ICAL.TimezoneService.has(t.zone.tzid)) {
    return when(t.convertToZone(ICAL.Timezone.utcTimezone));
  }
  return `${s} (zone ${t.zone.tzid})`;
}

function main(argv) {
  if (argv.length !== 2) {
    console.error("usage: check_ics.js FILE.ics EXPECTED.json");
    return 2;
  }
  const text = fs.readFileSync(argv[0], "utf8");
  const expected = new Map(JSON.parse(fs.readFileSync(argv[1], "utf8")).map((e) => [e.uid, e]));
  const cal = new ICAL.Component(ICAL.parse(text));
  // TZIDs mean what the file's own VTIMEZONEs say.
  for (const vtz of cal.getAllSubcomponents("vtimezone")) {
    ICAL.TimezoneService.register(vtz);
  }
  const problems = [];
  const seen = new Set();
  for (const vevent of cal.getAllSubcomponents("vevent")) {
    const ev = new ICAL.Event(vevent);
    const want = expected.get(ev.uid);
    if (!want) {
      problems.push(`unexpected VEVENT ${JSON.stringify(ev.uid)}`);
      continue;
    }
    seen.add(ev.uid);
    const rrule = vevent.getFirstPropertyValue("rrule");
    const got = {
      uid: ev.uid,
      summary: ev.summary ?? null,
      start: when(ev.startDate),
      end: when(ev.endDate),
      location: ev.location ?? null,
      description: ev.description ?? null,
      rrule: rrule ? rrule.toString() : null,
    };
    if (want.occurrences) {
      const it = ev.iterator();
      got.occurrences = [];
      for (let n = 0; n < want.occurrences.length; n++) {
        const next = it.next();
        if (!next) break;
        got.occurrences.push(when(next));
      }
    }
    for (const [key, value] of Object.entries(want)) {
      const same = Array.isArray(value) ? JSON.stringify(got[key]) === JSON.stringify(value) : got[key] === value;
      if (!same) {
        problems.push(`${ev.uid}: ${key}: expected ${JSON.stringify(value)}, parsed ${JSON.stringify(got[key])}`);
      }
    }
  }
  for (const uid of expected.keys()) {
    if (!seen.has(uid)) problems.push(`missing VEVENT ${JSON.stringify(uid)}`);
  }
  if (problems.length) {
    for (const p of problems) console.error(`check_ics.js: ${p}`);
    return 1;
  }
  console.log(`${seen.size} events ok`);
  return 0;
}

process.exitCode = main(process.argv.slice(2));
