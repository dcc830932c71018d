//! The binary run from the crate root on arguments and standard input,
//! and checks of what it wrote: for the tests of `extract` and friends.

use std::io::Write;
use std::path::Path;
use std::process::{Command, Output, Stdio};

use serde_json::Value;

pub fn manifest_dir() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// Runs the binary from the crate root with `args`, feeding `stdin` (or
/// nothing) on standard input.
pub fn run<S: AsRef<std::ffi::OsStr>>(args: &[S], stdin: Option<&[u8]>) -> Output {
    fed(args, &[], stdin.unwrap_or_default()).0
}

/// [`run`] with `env` set, for a run that must read all of `stdin`: a
/// binary that stopped reading early fails the test.
pub fn run_reading_all<S: AsRef<std::ffi::OsStr>>(
    args: &[S],
    env: &[(&str, &str)],
    stdin: &[u8],
) -> Output {
    let (out, written) = fed(args, env, stdin);
    written.expect("the binary reads all its input");
    out
}

/// The binary's output, and whether all of `stdin` was written to it.
fn fed<S: AsRef<std::ffi::OsStr>>(
    args: &[S],
    env: &[(&str, &str)],
    stdin: &[u8],
) -> (Output, std::io::Result<()>) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_timeline"))
        .args(args)
        .envs(env.iter().copied())
        .current_dir(manifest_dir())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn timeline");
    let mut pipe = child.stdin.take().expect("stdin pipe");
    let input = stdin.to_vec();
    // Write from another thread so a large input cannot deadlock against a
    // full stdout pipe.
    let writer = std::thread::spawn(move || {
        pipe.write_all(&input)
        // Dropping `pipe` closes standard input.
    });
    let out = child.wait_with_output().expect("wait for timeline");
    let written = writer.join().expect("stdin writer thread");
    (out, written)
}

pub fn stdout(out: &Output) -> String {
    String::from_utf8(out.stdout.clone()).expect("stdout is UTF-8")
}

pub fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

pub fn code(out: &Output) -> i32 {
    out.status.code().expect("exited with a code, not a signal")
}

/// Asserts the run exited with `want`, showing the streams if not.
pub fn assert_code(out: &Output, want: i32) {
    assert_eq!(
        code(out),
        want,
        "unexpected exit code\n--- stderr ---\n{}\n--- stdout (first 2000 bytes) ---\n{}",
        stderr(out),
        String::from_utf8_lossy(&out.stdout[..out.stdout.len().min(2000)])
    );
}

/// Asserts the process did not panic and exited 0, or 2 (usage error).
pub fn assert_no_panic(out: &Output, what: &str) {
    let err = stderr(out);
    assert!(
        !err.contains("panicked"),
        "{what}: the binary panicked:\n{err}"
    );
    let c = code(out);
    assert!(
        c == 0 || c == 2,
        "{what}: exit code {c} (expected 0, or 2 for a usage error); stderr:\n{err}"
    );
}

/// The (text, type, value) triples of a document record.
pub fn triples(record: &Value) -> Vec<(String, String, String)> {
    record["timexes"]
        .as_array()
        .expect("timexes is an array")
        .iter()
        .map(|t| {
            let field = |k: &str| {
                t[k].as_str()
                    .unwrap_or_else(|| panic!("timex field {k:?} is not a string: {t}"))
                    .to_string()
            };
            (field("text"), field("type"), field("value"))
        })
        .collect()
}

/// Keys that occur twice in one JSON object, anywhere in the
/// JSON text `raw`. serde_json's `Value` silently keeps the last of duplicate
/// keys, so duplicates are looked for in the text itself.
pub fn duplicate_keys(raw: &str) -> Vec<String> {
    // A tiny JSON scanner: tracks a stack of objects, each with its keys.
    let bytes = raw.as_bytes();
    let mut stack: Vec<(bool, Vec<String>)> = Vec::new(); // (is_object, keys)
    let mut dups = Vec::new();
    let mut i = 0;
    // Whether the next string in the current object is a key.
    let mut expect_key = false;
    while i < bytes.len() {
        match bytes[i] {
            b'{' => {
                stack.push((true, Vec::new()));
                expect_key = true;
            }
            b'[' => {
                stack.push((false, Vec::new()));
                expect_key = false;
            }
            b'}' | b']' => {
                stack.pop();
                expect_key = false;
            }
            b',' => expect_key = stack.last().is_some_and(|(obj, _)| *obj),
            b':' => expect_key = false,
            b'"' => {
                let start = i + 1;
                i += 1;
                while bytes[i] != b'"' {
                    if bytes[i] == b'\\' {
                        i += 1;
                    }
                    i += 1;
                }
                if expect_key {
                    let key = raw[start..i].to_string();
                    let keys = &mut stack.last_mut().expect("key inside an object").1;
                    if keys.contains(&key) {
                        dups.push(key);
                    } else {
                        keys.push(key);
                    }
                    expect_key = false;
                }
            }
            _ => {}
        }
        i += 1;
    }
    dups
}

/// Deterministic pseudo-random bytes (xorshift64*).
pub fn pseudo_random_bytes(n: usize, mut seed: u64) -> Vec<u8> {
    let mut out = Vec::with_capacity(n + 8);
    while out.len() < n {
        seed ^= seed >> 12;
        seed ^= seed << 25;
        seed ^= seed >> 27;
        out.extend_from_slice(&seed.wrapping_mul(0x2545_F491_4F6C_DD1D).to_le_bytes());
    }
    out.truncate(n);
    out
}
