//! Event ids: 64 bits, old 32-bit stores matched by content, and a
//! collision (one id, two different events) never drops an event.

mod common;

use std::path::Path;

use common::{ok, run};

use timeline::events::event_id;

fn ids(store: &Path) -> Vec<String> {
    let json = ok(&run(
        store,
        &["list", "--all", "--format", "json", "--today", "2026-11-30"],
    ));
    let v: Vec<serde_json::Value> = serde_json::from_str(&json).unwrap();
    v.iter()
        .map(|e| e["id"].as_str().unwrap().to_string())
        .collect()
}

#[test]
fn ids_have_64_bits() {
    let id = event_id("Camera-ready due", "2026-06-01");
    assert_eq!(id.len(), "ev-".len() + 16, "{id}");
    assert!(id[3..].bytes().all(|b| b.is_ascii_hexdigit()));
    // Stable: the same title (any case or punctuation) and value.
    assert_eq!(id, event_id("camera ready DUE", "2026-06-01"));
}

#[test]
fn two_events_that_shared_a_32_bit_id_are_both_kept() {
    // These two titles had the same id when ids were 32-bit hashes, and
    // the second was dropped as "already there".
    let dir = common::scratch("ids", "old-collision");
    let store = dir.join("events.toml");
    for title in ["Task 94194", "Task 96347"] {
        let out = ok(&run(
            &store,
            &["add", "--title", title, "--date", "2026-12-01"],
        ));
        assert!(out.contains(" added: "), "{out}");
    }
    let ids = ids(&store);
    assert_eq!(ids.len(), 2, "{ids:?}");
    assert_ne!(ids[0], ids[1]);
}

#[test]
fn an_id_held_by_a_different_event_gets_a_fresh_one() {
    let dir = common::scratch("ids", "collision");
    let store = dir.join("events.toml");
    let taken = event_id("Budget review", "2026-12-01");
    std::fs::write(
        &store,
        format!(
            "[[event]]\nid = \"{taken}\"\ntitle = \"Something else entirely\"\nkind = \"scheduled\"\ndate = 2026-12-01\nvalue = \"2026-12-01\"\nstatus = \"open\"\nadded = 2026-11-01T09:00:00\n"
        ),
    )
    .unwrap();
    let out = ok(&run(
        &store,
        &["add", "--title", "Budget review", "--date", "2026-12-01"],
    ));
    assert!(out.contains(&format!("{taken}-2")), "{out}");
    let ids = ids(&store);
    assert_eq!(ids.len(), 2, "{ids:?}");
    assert!(
        ids.contains(&taken) && ids.contains(&format!("{taken}-2")),
        "{ids:?}"
    );
}

#[test]
fn a_store_with_old_short_ids_is_matched_by_content() {
    let dir = common::scratch("ids", "migrate");
    let store = dir.join("events.toml");
    let old = "# kept\n[[event]]\nid = \"ev-1a2b3c4d\"\ntitle = \"Tax return\"\nkind = \"deadline\"\ndate = 2027-04-15\nvalue = \"2027-04-15\"\nstatus = \"open\"\nadded = 2026-11-01T09:00:00\n";
    std::fs::write(&store, old).unwrap();
    let out = ok(&run(
        &store,
        &[
            "add",
            "--title",
            "Tax return",
            "--date",
            "2027-04-15",
            "--deadline",
        ],
    ));
    assert!(out.contains("already there"), "{out}");
    assert_eq!(ids(&store), ["ev-1a2b3c4d"]);
    // The old id still works for commands.
    ok(&run(&store, &["done", "1a2b3c4d"]));
    assert!(std::fs::read_to_string(&store)
        .unwrap()
        .starts_with("# kept\n"));
}

#[test]
fn tables_show_short_unique_prefixes() {
    let dir = common::scratch("ids", "prefixes");
    let store = dir.join("events.toml");
    // Added the day before its date, as the list below reads it: by the
    // clock it would be past, and a default list hides past events.
    ok(&run(
        &store,
        &[
            "add",
            "--title",
            "Budget review",
            "--date",
            "2026-12-01",
            "--today",
            "2026-11-30",
        ],
    ));
    let full = ids(&store).remove(0);
    let table = ok(&run(&store, &["list", "--today", "2026-11-30"]));
    assert!(
        table.contains(&full[..11]) && !table.contains(&full),
        "{table}"
    );
    ok(&run(&store, &["done", &full[..11]]));
}
