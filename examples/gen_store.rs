//! Writes a generated `events.toml` of N events to stdout: the store the
//! store benchmarks use (`benches/gen/store_text.rs`), for
//! `scripts/bench-store`.
//!
//! ```text
//! cargo run --release --example gen_store -- 100000 > /tmp/events.toml
//! ```

use std::io::Write;

#[path = "../benches/gen/store_text.rs"]
mod store_text;

fn main() {
    let n = match std::env::args().nth(1).map(|a| a.parse::<usize>()) {
        Some(Ok(n)) => n,
        _ => {
            eprintln!("usage: gen_store N");
            std::process::exit(2);
        }
    };
    std::io::stdout()
        .write_all(store_text::store_text(n).as_bytes())
        .expect("stdout");
}
