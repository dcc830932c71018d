//! A generated `events.toml`, shared by the store and serve benchmarks.

use chrono::{Duration, NaiveDate};

/// A store file of `n` events spread over ten years, written as a user's
/// `events.toml` would be.
pub fn store_text(n: usize) -> String {
    let kinds = ["deadline", "meeting", "scheduled", "past", "ongoing"];
    let first = NaiveDate::from_ymd_opt(2010, 1, 1).unwrap();
    let mut s = String::from("# A large store for the benchmark.\n");
    for i in 0..n {
        let day = first + Duration::days((i * 37 % 3650) as i64);
        s.push_str(&format!(
            "\n[[event]]\nid = \"ev-{i:08x}\"\ntitle = \"Event number {i} about the budget talks\"\nkind = \"{}\"\ndate = {day}\nvalue = \"{day}\"\nwhere = \"City {}\"\nstatus = \"open\"\nadded = 2014-10-14T09:00:00\n\n[[event.source]]\nfile = \"doc-{}.txt\"\nsentence = \"The council will meet on {day} to discuss event {i}.\"\nstart = 25\nend = 35\ntimex = \"{day}\"\n",
            kinds[i % kinds.len()],
            i % 97,
            i % 1000
        ));
    }
    s
}
