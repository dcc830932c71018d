#!/usr/bin/env python3
"""Checks an iCalendar file with the Python `icalendar` parser.

usage: check_ics.py FILE.ics EXPECTED.json

EXPECTED.json is an array of {"uid", "summary", "start", "end", "location"}
(location null when absent), with optional "description" and "rrule", and
"occurrences", which only check_ics.js checks (this parser does not expand
rules). Times with a TZID are compared in UTC.
Times are written "2014-11-24" (a date), "2014-10-15T20:00:00Z" (UTC) or
"2014-10-15T15:00:00" (floating). Every VEVENT must match one expected event
by UID, and every expected event must be there. Prints "N events ok", or
each mismatch and exits 1.
"""
import json
import sys
from datetime import date, datetime, timezone

import icalendar


def when(value):
    if isinstance(value, datetime):
        if value.tzinfo is None:
            return value.strftime("%Y-%m-%dT%H:%M:%S")
        return value.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
    if isinstance(value, date):
        return value.isoformat()
    return repr(value)


def text(component, name):
    value = component.get(name)
    return None if value is None else str(value)


def main(argv):
    if len(argv) != 3:
        print(__doc__.strip(), file=sys.stderr)
        return 2
    with open(argv[1], "rb") as f:
        cal = icalendar.Calendar.from_ical(f.read())
    with open(argv[2], encoding="utf-8") as f:
        expected = {e["uid"]: e for e in json.load(f)}

    problems = []
    for component in cal.walk():
        for err in getattr(component, "errors", []):
            problems.append(f"{component.name}: parse error: {err}")
    seen = set()
    for ev in cal.walk("VEVENT"):
        uid = text(ev, "UID")
        want = expected.get(uid)
        if want is None:
            problems.append(f"unexpected VEVENT {uid!r}")
            continue
        seen.add(uid)
        got = {
            "uid": uid,
            "summary": text(ev, "SUMMARY"),
            "start": when(ev.decoded("DTSTART")),
            "end": when(ev.decoded("DTEND")),
            "location": text(ev, "LOCATION"),
            "description": text(ev, "DESCRIPTION"),
            "rrule": ev["RRULE"].to_ical().decode() if "RRULE" in ev else None,
        }
        for key, value in want.items():
            if key == "occurrences":
                continue
            if got.get(key) != value:
                problems.append(f"{uid}: {key}: expected {value!r}, parsed {got.get(key)!r}")
    for uid in expected.keys() - seen:
        problems.append(f"missing VEVENT {uid!r}")

    if problems:
        for p in problems:
            print(f"check_ics.py: {p}", file=sys.stderr)
        return 1
    print(f"{len(seen)} events ok")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
