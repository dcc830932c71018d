//! `extract --input jsonl` as a Spark stage: examples/spark/timeline_spark.py
//! run in pyspark local mode over two partitions gives the same bytes as
//! one run of the binary over the whole file, and reads into the typed
//! DataFrame schema it ships. pyspark is installed into the git-ignored
//! .ci/venv by scripts/spark-setup (it needs Java).

mod common;

use std::path::PathBuf;
use std::process::Command;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

#[test]
fn two_partitions_give_the_bytes_of_one_run() {
    let setup = Command::new("bash")
        .arg(root().join("scripts/spark-setup"))
        .output()
        .expect("bash runs");
    assert!(
        setup.status.success(),
        "scripts/spark-setup failed, so the Spark stage cannot be checked:\n{}",
        String::from_utf8_lossy(&setup.stderr)
    );
    let dir = common::scratch("spark", "partitions");
    let input = dir.join("docs.jsonl");
    let mut lines = String::new();
    for n in 0..400 {
        let text = format!(
            "Bulletin {n}. The council met on Monday and votes on Nov. {} at 10 a.m. ET; \
             the inquiry ran for {} months and reports every other Thursday.",
            1 + n % 28,
            1 + n % 11
        );
        lines.push_str(
            &serde_json::json!({"doc": format!("d{n}"), "dct": "2026-11-30", "text": text})
                .to_string(),
        );
        lines.push('\n');
    }
    std::fs::write(&input, lines).unwrap();
    let out = Command::new(root().join(".ci/venv/bin/python"))
        .arg(root().join("examples/spark/timeline_spark.py"))
        .arg(&input)
        .args(["--partitions", "2", "--master", "local[2]", "--check"])
        .arg("--binary")
        .arg(env!("CARGO_BIN_EXE_timeline"))
        .arg("--out")
        .arg(dir.join("parquet"))
        .output()
        .expect("python runs");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{stdout}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        stdout.contains("2 partitions, 400 documents, 0 error records"),
        "{stdout}"
    );
    assert!(stdout.contains("same bytes as a single run"), "{stdout}");
}
