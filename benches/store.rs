//! How long `list` and `upcoming` take on a store of 100,000 events: load
//! the file, filter, sort and render, as the commands do.
//!
//! Cold: no read cache, so the TOML is parsed (and the cache written).
//! Warm: the cache beside the store matches it, so the events come from
//! the cache. Three runs each; best and median of the totals.
//!
//! `cargo bench --bench store`

use std::time::Instant;

use chrono::{NaiveDate, NaiveDateTime};
use timeline::store::Store;
use timeline::views::{self, Filter, Style};

#[path = "gen/store_text.rs"]
mod store_text;
use store_text::store_text;

const EVENTS: usize = 100_000;
const RUNS: usize = 3;

/// One `upcoming`: load, filter and sort, render. Returns the total seconds.
fn upcoming(label: &str, store: &Store, now: NaiveDateTime) -> f64 {
    let t0 = Instant::now();
    let events = store.load().expect("the generated store loads");
    let loaded = t0.elapsed();
    let filter = Filter {
        from: Some(now.date().and_hms_opt(0, 0, 0).unwrap()),
        ..Filter::default()
    };
    let shown = filter.apply(&events);
    let filtered = t0.elapsed();
    let mut table = Vec::new();
    views::table(&shown, now, Style::default(), &mut table).expect("writing to memory");
    let total = t0.elapsed();
    assert!(table.len() > 1000);
    println!(
        "{label} upcoming: load {:.3} s, filter+sort {:.3} s, table {:.3} s, total {:.3} s ({} rows)",
        loaded.as_secs_f64(),
        (filtered - loaded).as_secs_f64(),
        (total - filtered).as_secs_f64(),
        total.as_secs_f64(),
        shown.len()
    );
    total.as_secs_f64()
}

fn summary(label: &str, mut runs: Vec<f64>) {
    runs.sort_by(f64::total_cmp);
    println!(
        "{label}: best {:.3} s, median {:.3} s",
        runs[0],
        runs[runs.len() / 2]
    );
}

fn main() {
    let dir = std::env::temp_dir().join(format!("timeline-bench-store-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("events.toml");
    let text = store_text(EVENTS);
    std::fs::write(&path, &text).unwrap();
    let store = Store::new(&path);
    let now = NaiveDate::from_ymd_opt(2014, 10, 14)
        .unwrap()
        .and_hms_opt(12, 0, 0)
        .unwrap();
    println!("store: {EVENTS} events, {:.1} MB", text.len() as f64 / 1e6);

    let cold: Vec<f64> = (0..RUNS)
        .map(|_| {
            let _ = std::fs::remove_file(store.cache_path());
            upcoming("cold", &store, now)
        })
        .collect();
    let cache_size = std::fs::metadata(store.cache_path()).map_or(0, |m| m.len());
    println!("read cache: {:.1} MB", cache_size as f64 / 1e6);
    let warm: Vec<f64> = (0..RUNS).map(|_| upcoming("warm", &store, now)).collect();
    summary("cold (no cache)", cold);
    summary("warm (cache)", warm);
    let _ = std::fs::remove_dir_all(&dir);
}
