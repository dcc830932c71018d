//! How long `list` and `upcoming` take on a store of 100,000 events: load
//! the file, filter, sort and render, as the commands do.
//!
//! `cargo bench --bench store`

use std::time::Instant;

use chrono::{Duration, NaiveDate};
use timeline::store::Store;
use timeline::views::{self, Filter, Style};

const EVENTS: usize = 100_000;

/// A store file of `n` events spread over ten years, written as a user's
/// `events.toml` would be.
fn store_text(n: usize) -> String {
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

fn main() {
    let dir = std::env::temp_dir().join(format!("timeline-bench-store-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("events.toml");
    let text = store_text(EVENTS);
    std::fs::write(&path, &text).unwrap();
    let store = Store::new(&path);
    let now = NaiveDate::from_ymd_opt(2014, 10, 14).unwrap().and_hms_opt(12, 0, 0).unwrap();
    println!("store: {EVENTS} events, {:.1} MB", text.len() as f64 / 1e6);
    let mut runs = Vec::new();
    for _ in 0..3 {
        let t0 = Instant::now();
        let events = store.load().expect("the generated store loads");
        let loaded = t0.elapsed();
        let filter = Filter {
            from: Some(now.date().and_hms_opt(0, 0, 0).unwrap()),
            ..Filter::default()
        };
        let shown = filter.apply(&events);
        let filtered = t0.elapsed();
        let table = views::table(&shown, now, Style::default());
        let total = t0.elapsed();
        assert!(table.len() > 1000);
        println!(
            "upcoming: load {:.3} s, filter+sort {:.3} s, table {:.3} s, total {:.3} s ({} rows)",
            loaded.as_secs_f64(),
            (filtered - loaded).as_secs_f64(),
            (total - filtered).as_secs_f64(),
            total.as_secs_f64(),
            shown.len()
        );
        runs.push(total.as_secs_f64());
    }
    runs.sort_by(f64::total_cmp);
    println!("best {:.3} s, median {:.3} s", runs[0], runs[1]);
    let _ = std::fs::remove_dir_all(&dir);
}
