//! What the binary reads from the machine, so the library never does: the
//! clock and the system's zone, the environment and working folder (where
//! the store is), the terminal (colour, stdin), Ctrl-C.

use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};

use timeline::{cli, views};

use crate::ColorChoice;

/// On a terminal, say that standard input is being read, and how to end it.
pub fn prompt_for_stdin(files: &[PathBuf]) {
    let reads_stdin = files.is_empty() || files.iter().any(|f| f.as_os_str() == "-");
    if reads_stdin && std::io::stdin().is_terminal() {
        eprintln!("timeline: reading from stdin (Ctrl-D to end)");
    }
}

/// The store: `--store`, else $TIMELINE_STORE, else `events.toml` in this
/// folder or the nearest parent that has one (as git finds `.git`), else
/// the user's data folder (`$XDG_DATA_HOME/timeline/events.toml`,
/// `~/.local/share/…` without it). An empty $TIMELINE_STORE is an error:
/// quietly using another store would put events where the user did not
/// mean them.
pub fn store_path(given: Option<PathBuf>) -> Result<PathBuf, cli::Failure> {
    // clap refuses an empty --store itself.
    if let Some(p) = given {
        return Ok(p);
    }
    if let Some(p) = std::env::var_os("TIMELINE_STORE") {
        if p.is_empty() {
            return Err(cli::Failure {
                message: "timeline: TIMELINE_STORE is empty; name the store file or unset it"
                    .into(),
                code: 2,
            });
        }
        return Ok(PathBuf::from(p));
    }
    let here = PathBuf::from("events.toml");
    if here.exists() {
        return Ok(here);
    }
    if let Ok(cwd) = std::env::current_dir() {
        if let Some(found) = cwd
            .ancestors()
            .skip(1)
            .map(|d| d.join("events.toml"))
            .find(|p| p.is_file())
        {
            return Ok(found);
        }
    }
    let data = std::env::var_os("XDG_DATA_HOME")
        .filter(|d| !d.is_empty())
        .map(PathBuf::from)
        .or_else(|| {
            std::env::var_os("HOME")
                .filter(|h| !h.is_empty())
                .map(|h| PathBuf::from(h).join(".local/share"))
        });
    Ok(match data {
        Some(d) => d.join("timeline").join("events.toml"),
        None => here,
    })
}

/// The wall clock, to the second (stored times carry no fractions).
/// The zone `clock_now` reads the clock in: --tz, set once at start.
static USER_ZONE: std::sync::OnceLock<Option<String>> = std::sync::OnceLock::new();

/// Sets the user's zone (--tz) for [`clock_now`]; the first call wins.
pub fn use_zone(zone: Option<String>) {
    let _ = USER_ZONE.set(zone);
}

/// The wall-clock time now, in the user's zone (--tz), else the system's,
/// to the second.
pub fn clock_now() -> chrono::NaiveDateTime {
    let utc = chrono::Utc::now().naive_utc();
    let zone = USER_ZONE.get().and_then(Option::as_deref);
    let now = match zone.and_then(|z| timeline::engine::zone::offset_at_utc(z, utc)) {
        Some(minutes) => utc + chrono::Duration::minutes(i64::from(minutes)),
        None => chrono::Local::now().naive_local(),
    };
    now - chrono::Duration::nanoseconds(i64::from(chrono::Timelike::nanosecond(&now)))
}

/// The system's time zone as an IANA name: `$TZ` when it holds one
/// ("Europe/Vienna", ":Europe/Vienna"), else the zone file
/// `/etc/localtime` links to, else `/etc/timezone`; `None` when none
/// names a zone the database knows (times are then the system clock's).
pub fn system_zone() -> Option<String> {
    use timeline::engine::zone::canonical;
    if let Ok(tz) = std::env::var("TZ") {
        if let Some(name) = canonical(tz.trim_start_matches(':')) {
            return Some(name.to_string());
        }
    }
    if let Ok(target) = std::fs::read_link("/etc/localtime") {
        let path = target.to_string_lossy();
        if let Some((_, name)) = path.split_once("zoneinfo/") {
            if let Some(name) = canonical(name) {
                return Some(name.to_string());
            }
        }
    }
    let file = std::fs::read_to_string("/etc/timezone").ok()?;
    canonical(file.trim()).map(str::to_string)
}

/// --color always/never, else colour only on a terminal, and never with
/// NO_COLOR set.
pub fn style(choice: ColorChoice) -> views::Style {
    let color = match choice {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => {
            std::io::stdout().is_terminal()
                && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
        }
    };
    views::Style {
        color,
        width: terminal_width(),
    }
}

/// The terminal's width when standard output is one; `$COLUMNS` (as
/// shells export it) when it is set, so a script can ask for a width.
fn terminal_width() -> Option<u16> {
    if let Some(cols) = std::env::var("COLUMNS")
        .ok()
        .and_then(|c| c.trim().parse::<u16>().ok())
        .filter(|&c| c >= 20)
    {
        return Some(cols);
    }
    terminal_size().map(|(cols, _)| cols)
}

/// The feed's token: --token, else the first line of --token-file, else
/// $TIMELINE_TOKEN (a flag shows in `ps`; a file or the environment does
/// not). An empty one is none. Checked here, so a bad token is a usage
/// error before anything listens.
pub fn serve_token(flag: Option<String>, file: Option<&Path>) -> Result<Option<String>, String> {
    let token = match (flag, file) {
        (Some(t), _) => Some(t),
        (None, Some(path)) => {
            let text = std::fs::read_to_string(path)
                .map_err(|e| format!("cannot read the token file {}: {e}", path.display()))?;
            let line = text.lines().next().unwrap_or("").trim().to_string();
            if line.is_empty() {
                return Err(format!("the token file {} is empty", path.display()));
            }
            Some(line)
        }
        (None, None) => std::env::var("TIMELINE_TOKEN")
            .ok()
            .filter(|t| !t.is_empty()),
    };
    if let Some(t) = &token {
        timeline::feed::serve::check_token(t)?;
    }
    Ok(token)
}

/// How many connections `serve` may hold open: `default`, or fewer when
/// this process may open fewer files (each connection is a descriptor; 32
/// are left for the store, the log and the runtime), so that a crowd of
/// connections meets the server's cap, which sheds idle ones, before the
/// process runs out of descriptors. The soft limit is read from
/// /proc/self/limits; where there is none, `default` stands.
pub fn connection_cap(default: usize) -> usize {
    let soft = std::fs::read_to_string("/proc/self/limits")
        .ok()
        .and_then(|text| {
            let line = text.lines().find(|l| l.starts_with("Max open files"))?;
            line.split_whitespace().nth(3)?.parse::<usize>().ok()
        });
    soft.map_or(default, |n| default.min(n.saturating_sub(32).max(1)))
}

/// Ctrl-C sets the flag that watch and serve loops check.
pub fn interrupt_flag() -> &'static AtomicBool {
    static STOP: AtomicBool = AtomicBool::new(false);
    let _ = ctrlc::set_handler(|| STOP.store(true, Ordering::SeqCst));
    &STOP
}

/// The terminal's (columns, rows), when standard output is one.
pub fn terminal_size() -> Option<(u16, u16)> {
    if !std::io::stdout().is_terminal() {
        return None;
    }
    crossterm::terminal::size().ok()
}

/// Reads keys while `countdown --watch` runs: `q`, Esc or Ctrl-C set the
/// stop flag. The terminal is in raw mode meanwhile (keys arrive without
/// Enter; Ctrl-C arrives as a key), and back to normal when this is dropped.
pub struct KeyWatch {
    raw: bool,
    reader: Option<std::thread::JoinHandle<()>>,
    stop: &'static AtomicBool,
}

impl KeyWatch {
    pub fn start(stop: &'static AtomicBool) -> KeyWatch {
        use crossterm::event::{self, Event, KeyCode, KeyModifiers};
        let raw = std::io::stdin().is_terminal() && crossterm::terminal::enable_raw_mode().is_ok();
        let reader = raw.then(|| {
            std::thread::spawn(move || {
                while !stop.load(Ordering::SeqCst) {
                    if !event::poll(std::time::Duration::from_millis(100)).unwrap_or(false) {
                        continue;
                    }
                    if let Ok(Event::Key(k)) = event::read() {
                        let ctrl_c = k.code == KeyCode::Char('c')
                            && k.modifiers.contains(KeyModifiers::CONTROL);
                        if matches!(k.code, KeyCode::Char('q') | KeyCode::Esc) || ctrl_c {
                            stop.store(true, Ordering::SeqCst);
                        }
                    }
                }
            })
        });
        KeyWatch { raw, reader, stop }
    }
}

impl Drop for KeyWatch {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        if let Some(r) = self.reader.take() {
            let _ = r.join();
        }
        if self.raw {
            let _ = crossterm::terminal::disable_raw_mode();
        }
    }
}

/// Asks a yes/no question on a terminal; without one (a script, a pipe)
/// the answer is yes, as Taskwarrior and rm do when not interactive.
pub fn confirm(question: &str) -> bool {
    if !std::io::stdin().is_terminal() {
        return true;
    }
    eprint!("{question} [y/N] ");
    let mut answer = String::new();
    if std::io::stdin().read_line(&mut answer).is_err() {
        return false;
    }
    matches!(answer.trim(), "y" | "Y" | "yes" | "Yes")
}

/// Whether standard input is a terminal (a person who can be asked).
pub fn stdin_is_terminal() -> bool {
    std::io::stdin().is_terminal()
}

/// The editor people chose: `$VISUAL`, else `$EDITOR`, else `vi`. The
/// variable may hold arguments (`code --wait`): split on whitespace, as
/// git and most tools do.
fn editor_command() -> Vec<String> {
    ["VISUAL", "EDITOR"]
        .iter()
        .filter_map(|v| std::env::var(v).ok())
        .map(|v| v.split_whitespace().map(str::to_owned).collect::<Vec<_>>())
        .find(|words| !words.is_empty())
        .unwrap_or_else(|| vec!["vi".to_owned()])
}

/// Opens the editor on `file` and waits for it to exit; the error says
/// why it failed. Answers piped to stdin are kept from the editor (it gets
/// no stdin), so `add -i` can read the next one.
pub fn open_editor(file: &std::path::Path) -> Result<(), String> {
    let command = editor_command();
    let (program, args) = command
        .split_first()
        .ok_or_else(|| "no editor to run".to_owned())?;
    let mut child = std::process::Command::new(program);
    child.args(args).arg(file);
    if !std::io::stdin().is_terminal() {
        child.stdin(std::process::Stdio::null());
    }
    match child.status() {
        Ok(s) if s.success() => Ok(()),
        Ok(s) => Err(format!("the editor ({}) failed: {s}", command.join(" "))),
        Err(e) => Err(format!(
            "cannot run the editor {:?}: {e} (set $VISUAL or $EDITOR)",
            command.join(" ")
        )),
    }
}

/// Where a file being edited is written: beside the store when its folder
/// exists (the folder the store is written in), else the system's
/// temporary folder.
pub fn edit_dir(store: &std::path::Path) -> PathBuf {
    match store.parent() {
        Some(p) if p.as_os_str().is_empty() => PathBuf::new(),
        Some(p) if p.is_dir() => p.to_path_buf(),
        _ => std::env::temp_dir(),
    }
}
