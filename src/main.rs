//! `timeline` command line: parses arguments and hands them to the library.

use std::path::PathBuf;
use std::process::ExitCode;

mod args;
mod host;

use args::{ics_options, parse_kind, usage, ClockArgs, FeedArgs, FilterArgs, ViewArgs};
use clap::{Parser, Subcommand, ValueEnum};
use host::{clock_now, interrupt_flag, prompt_for_stdin, store_path, style};
use timeline::cli::{self, add, eval, extract, feed, track};
use timeline::events::Kind;
use timeline::feed::serve;
use timeline::views;

/// Find half-written dates in text and normalize them to TIMEX3 values.
#[derive(Parser)]
#[command(name = "timeline", version, about, long_about = None)]
struct Args {
    /// The events store (default: $TIMELINE_STORE, else events.toml here or
    /// in the nearest parent folder that has one, else
    /// $XDG_DATA_HOME/timeline/events.toml).
    #[arg(long, global = true)]
    store: Option<PathBuf>,
    #[command(flatten)]
    clock: ClockArgs,
    /// Colour in tables: auto (on a terminal, unless NO_COLOR is set),
    /// always, never.
    #[arg(long, global = true, value_enum, default_value_t = ColorChoice::Auto)]
    color: ColorChoice,
    #[command(subcommand)]
    command: Command,
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
enum ColorChoice {
    Auto,
    Always,
    Never,
}

#[derive(Subcommand)]
enum Command {
    /// Find temporal expressions and resolve them against the document's date.
    ///
    /// Examples:
    ///   timeline extract examples/vienna-talks.txt --dct 2014-10-14
    ///   timeline extract call.md --format json       # offsets point into call.md
    ///   curl -s https://example.org/cfp | timeline extract - --input-format html
    ///   timeline extract --input-format jsonl --format jsonl corpus.jsonl > timexes.jsonl
    ///
    /// Files are read by format (Markdown, HTML, email, org, reStructuredText
    /// or plain text, from the extension or the content), so markup never
    /// reaches the engine. PDFs and binary files are refused.
    ///
    /// The reference date comes from --dct, else from the document (an email
    /// Date: header, a page's published time, a `date:` or `Created:` field, a
    /// dateline such as "PARIS, Oct. 14 —", or a date in the title), else
    /// today; stderr says which was used.
    ///
    /// With --input-format jsonl, a line over 8 MiB is not held: it is checked
    /// while its text is copied to a file in the temporary folder ($TMPDIR),
    /// then the text is read back in windows, so memory stays bounded (the
    /// fields may come in any order). Only the text streams: the line's other
    /// fields are held, and a line without "dct" looks for a date in the first
    /// 4 MiB of its text only.
    #[command(verbatim_doc_comment)]
    Extract {
        /// Files to read ("-" or none: standard input).
        files: Vec<PathBuf>,
        /// Reference date: YYYY-MM-DD or YYYY-MM-DDTHH:MM[:SS].
        #[arg(long)]
        dct: Option<String>,
        /// How to read the input. auto: by file extension, else by content
        /// (Markdown, HTML, email, org, reStructuredText or plain text);
        /// jsonl: each line is {"doc","dct","text"}, for corpora.
        #[arg(long = "input-format", visible_alias = "input", value_enum, default_value_t = Input::Auto)]
        input: Input,
        /// Output format.
        #[arg(long, value_enum, default_value_t = args::Format::Table)]
        format: args::Format,
        /// What JSON start/end offsets count: UTF-8 bytes or Unicode code points.
        #[arg(long, value_enum, default_value_t = args::OffsetUnit::Bytes)]
        offsets: args::OffsetUnit,
        /// What kind of text the documents are, which decides what "in
        /// March", "Friday" or "that year" are read against.
        #[arg(long, value_enum, default_value_t = args::DocTypeArg::Auto)]
        doctype: args::DocTypeArg,
        /// JSONL lines without a "dct": error (an error record, so results
        /// never depend on the day a job runs) or today (a date in the
        /// text, else today).
        #[arg(long, value_enum, default_value_t = args::DctMissingArg::Error)]
        dct_missing: args::DctMissingArg,
        /// Threads for --input-format jsonl (default: every core). The
        /// output is the same bytes as with --jobs 1.
        #[arg(long, short = 'j')]
        jobs: Option<usize>,
        /// JSONL lines longer than this many bytes are read in pieces
        /// (tests lower it so that small lines take that way).
        #[arg(long, hide = true, default_value_t = cli::corpus::LONG_LINE)]
        long_line: usize,
    },
    /// Score the engine against TimeML gold files (TempEval-3 task A metrics).
    ///
    /// Example: timeline eval ../shared/corpora/tempeval3-train --errors 20
    Eval(args::EvalArgs),
    /// Score extracted events against what a reader wrote down.
    ///
    /// Each document in DIR (searched recursively) with a NAME.events.toml
    /// beside it is read, its events extracted, and compared with the gold
    /// list: an event matches when its date (or range) is the gold one and
    /// its title holds the gold keyword. The format is documented in
    /// tests/documents/README.md.
    ///
    /// Examples:
    ///   timeline eval-events tests/documents
    ///   timeline eval-events my-calls/ --errors
    #[command(verbatim_doc_comment)]
    EvalEvents {
        /// Folder of documents with their .events.toml gold files.
        dir: PathBuf,
        /// Also list each missed gold event and each extra extracted one.
        #[arg(long)]
        errors: bool,
        /// Print the figures as one JSON object.
        #[arg(long)]
        json: bool,
    },
    /// Extract events from documents into the store, or add one by hand.
    ///
    /// Examples:
    ///   timeline add examples/vienna-talks.txt --dct 2014-10-14
    ///   timeline add call-for-papers.md            # one event per schedule row
    ///   timeline add invitation.eml notice.html    # Date: / published time as reference
    ///   pdftotext call.pdf - | timeline add -
    ///   timeline add article.txt --dry-run --format json
    ///   timeline add --title "Tax return" --date 2015-04-15 --deadline
    ///   timeline add -i call.md                    # ask about each event first
    ///   printf 'y\nn\ne\n' | timeline add -i call.md   # answers from a pipe
    ///
    /// Lists, tables and "date: label" lines give one event per row, titled
    /// by the row's label; each event keeps the document's title as context.
    /// A document added again adds nothing new; the same event found in two
    /// documents is kept once, with both sources.
    ///
    /// With -i, each event found is shown (date, kind, title, place) and
    /// asked about: [y]es, [n]o, [e]dit (its TOML in $VISUAL or $EDITOR,
    /// then added as edited), [a]ll the rest, [q]uit. Only accepted events
    /// are added. The answers are read from stdin, so the documents must be
    /// files.
    #[command(verbatim_doc_comment)]
    Add {
        /// Documents to read ("-": standard input).
        files: Vec<PathBuf>,
        /// Reference date of the documents (default: found in them, else
        /// today): 2026-11-30, or "yesterday", "last monday".
        #[arg(long)]
        dct: Option<String>,
        /// How to read the documents (default: by extension, else by content).
        #[arg(long = "input-format", value_enum, default_value_t = Input::Auto)]
        input_format: Input,
        /// Show what would be added, and change nothing.
        #[arg(long)]
        dry_run: bool,
        /// Output of --dry-run.
        #[arg(long, value_enum, default_value_t = ListFormat::Table)]
        format: ListFormat,
        /// Add one event by hand with this title (needs --date or --recur).
        #[arg(long, conflicts_with_all = ["files", "dry_run", "dct"])]
        title: Option<String>,
        /// Its date: 2026-12-04, 2026-12-04T17:00, or as you would say it:
        /// "next friday 5pm", "tomorrow", "Dec 4" (read as the coming one).
        #[arg(long, requires = "title")]
        date: Option<String>,
        /// The hand-added event recurs: "weekly", "monthly", "every other
        /// thursday", "the first monday of each month", "every weekday at
        /// 9am", or a rule such as "FREQ=WEEKLY;INTERVAL=2;BYDAY=TH". It
        /// starts on --date, else at the first occurrence from today.
        #[arg(long, requires = "title")]
        recur: Option<String>,
        /// The hand-added event is a deadline.
        #[arg(long, requires = "title")]
        deadline: bool,
        /// Where the hand-added event happens.
        #[arg(long = "where", requires = "title")]
        place: Option<String>,
        /// Tags for the added events: --tag work,grants (or +work).
        #[arg(long, value_delimiter = ',')]
        tag: Vec<String>,
        /// Ask about each event before adding it: yes, no, edit, all, quit.
        #[arg(short, long, conflicts_with_all = ["dry_run", "title"])]
        interactive: bool,
    },
    /// List open events (with --all: done and past ones too).
    ///
    /// Examples:
    ///   timeline list --kind deadline --within "2 weeks"
    ///   timeline list --all --grep grant --format csv > grants.csv
    #[command(verbatim_doc_comment)]
    List {
        #[command(flatten)]
        view: ViewArgs,
    },
    /// Events from today on, soonest first; overdue deadlines lead.
    ///
    /// Examples:
    ///   timeline upcoming
    ///   timeline upcoming --from tomorrow --to friday --where Vienna
    #[command(verbatim_doc_comment)]
    Upcoming {
        #[command(flatten)]
        view: ViewArgs,
    },
    /// Open deadlines whose time has passed, most overdue first.
    ///
    /// They also lead `upcoming` and `countdown` until marked done.
    ///
    /// Example: timeline overdue --kind deadline --grep grant
    Overdue {
        #[command(flatten)]
        view: ViewArgs,
    },
    /// Days, hours and minutes left to each upcoming deadline.
    ///
    /// Overdue open deadlines come first ("overdue by 2 days"). A
    /// date-only deadline counts down to the start of its day.
    ///
    /// Examples:
    ///   timeline countdown
    ///   timeline countdown --watch --kind deadline
    ///   timeline countdown --format json
    #[command(verbatim_doc_comment)]
    Countdown {
        /// Redraw once a second until Ctrl-C.
        #[arg(long)]
        watch: bool,
        #[command(flatten)]
        view: ViewArgs,
    },
    /// A month grid with the days that have events marked and today
    /// highlighted, and the month's events under it.
    ///
    /// Examples:
    ///   timeline calendar
    ///   timeline calendar --month 2026-12 --months 2
    ///   timeline calendar --kind deadline
    #[command(verbatim_doc_comment)]
    Calendar {
        /// The month to show, YYYY-MM (default: this month).
        #[arg(long)]
        month: Option<String>,
        /// How many months, side by side (two fit 80 columns).
        #[arg(long, default_value_t = 1, value_parser = clap::value_parser!(u32).range(1..=12))]
        months: u32,
        #[command(flatten)]
        view: FilterArgs,
    },
    /// Mark an event done (by id or a unique id prefix).
    ///
    /// On a recurring event, marks its next occurrence done and names the
    /// one after; the series stays in the store.
    ///
    /// Example: timeline done ev-1a2b3c4d
    Done { id: String },
    /// Remove an event from the store (by id or a unique id prefix).
    ///
    /// On a terminal it asks first; --yes does not. `timeline undo` brings
    /// it back.
    ///
    /// Example: timeline rm 1a2b3c4d --yes
    Rm {
        id: String,
        /// Do not ask.
        #[arg(long, short = 'y')]
        yes: bool,
    },
    /// Open a done event again.
    ///
    /// Example: timeline reopen 1a2b3c4d
    Reopen { id: String },
    /// Change an event's title, date, kind or place.
    ///
    /// Examples:
    ///   timeline modify 1a2b3c4d --date "next friday 5pm"
    ///   timeline modify 1a2b3c4d --title "Camera-ready version" --kind deadline
    ///   timeline modify 1a2b3c4d --where ""          # no place
    #[command(verbatim_doc_comment)]
    Modify {
        id: String,
        #[arg(long)]
        title: Option<String>,
        /// ISO or as you would say it ("tomorrow 9am"), read ahead.
        #[arg(long)]
        date: Option<String>,
        #[arg(long, value_parser = parse_kind)]
        kind: Option<Kind>,
        /// The place ("" removes it).
        #[arg(long = "where")]
        place: Option<String>,
        /// Add tags: --tag work,grants.
        #[arg(long, value_delimiter = ',')]
        tag: Vec<String>,
        /// Remove tags.
        #[arg(long, value_delimiter = ',')]
        untag: Vec<String>,
    },
    /// Edit an event's TOML in $VISUAL, else $EDITOR, else vi.
    ///
    /// The editor opens on the event's [[event]] block as events.toml holds
    /// it. Saved and changed, the block is checked as the store checks the
    /// file (errors name the line) and replaces the event; `timeline undo`
    /// takes the edit back. Left unchanged, or if the editor fails, nothing
    /// is written. On a terminal an invalid edit can be edited again;
    /// otherwise it ends with an error. The id cannot change.
    ///
    /// Examples:
    ///   timeline edit 1a2b3c4d
    ///   EDITOR="code --wait" timeline edit 1a2b3c4d
    ///   timeline undo                     # the event as it was before the edit
    #[command(verbatim_doc_comment)]
    Edit {
        /// The event's id, or a unique prefix of it.
        id: String,
    },
    /// Put the store back as it was before its last change.
    ///
    /// Every change keeps the previous version (the last 20) in
    /// .events.toml.undo/ beside the store.
    ///
    /// Example: timeline undo
    Undo,
    /// Show every field and source of an event.
    ///
    /// Example: timeline show 1a2b3c4d
    Show { id: String },
    /// Print a shell completion script.
    ///
    /// Examples:
    ///   timeline completions bash > ~/.local/share/bash-completion/completions/timeline
    ///   timeline completions zsh > ~/.zfunc/_timeline
    ///   timeline completions fish > ~/.config/fish/completions/timeline.fish
    #[command(verbatim_doc_comment)]
    Completions {
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
    /// Print the manual page (roff).
    ///
    /// Example: timeline man > ~/.local/share/man/man1/timeline.1
    Man,
    /// Export the store as iCalendar (for calendar apps), JSON or CSV.
    ///
    /// Example: timeline export --format ics -o deadlines.ics --kind deadline
    Export {
        #[arg(long, value_enum, default_value_t = ExportFormat::Ics)]
        format: ExportFormat,
        /// Write to this file (atomically) instead of standard output.
        #[arg(short, long)]
        output: Option<PathBuf>,
        #[command(flatten)]
        feed: FeedArgs,
        #[command(flatten)]
        view: FilterArgs,
    },
    /// Import events from iCalendar files (any calendar app's) or a JSON export.
    ///
    /// Events are matched by UID (our own export's by id): importing a
    /// file again adds nothing, and an event changed in the file is
    /// updated in place, keeping the tags, notes and reminders you added.
    /// RRULE, VALARM reminders and TZID zones are kept; cancelled events
    /// are skipped. A bad file is named with its line, and nothing is
    /// written.
    ///
    /// Examples:
    ///   timeline import calendar.ics
    ///   timeline import work.ics --tag work --dry-run
    ///   timeline export --format json > backup.json && timeline import backup.json
    ///   curl -s https://example.org/team.ics | timeline import -
    #[command(verbatim_doc_comment)]
    Import(args::ImportArgs),
    /// Serve the store as a live iCalendar feed that calendar apps subscribe to.
    ///
    /// GET /events.ics and /events.json, with filters as query parameters
    /// (?kind=deadline&within=90d). Binds to loopback unless told otherwise.
    /// With a token (--token, --token-file, or $TIMELINE_TOKEN; at least 16
    /// characters) the feeds answer only at /TOKEN/events.ics and
    /// /TOKEN/events.json, or with "Authorization: Bearer TOKEN".
    /// Request bodies are refused (413), request heads over 8 KiB are 431;
    /// at most 256 connections are open at once, idle ones close after 15 s.
    ///
    /// Examples:
    ///   timeline serve                      # webcal://127.0.0.1:8080/events.ics
    ///   openssl rand -hex 16 > ~/.timeline-token
    ///   timeline serve --addr 0.0.0.0:8080 --token-file ~/.timeline-token --alarm 2h
    #[command(verbatim_doc_comment)]
    Serve {
        /// Address to listen on.
        #[arg(long, default_value = "127.0.0.1:8080")]
        addr: String,
        /// Answer only at /TOKEN/events.ics and /TOKEN/events.json (or with
        /// the token as a bearer token). Visible to other users in `ps`:
        /// prefer --token-file or $TIMELINE_TOKEN.
        #[arg(long, conflicts_with = "token_file")]
        token: Option<String>,
        /// Read the token from this file (its first line).
        #[arg(long, value_name = "PATH")]
        token_file: Option<PathBuf>,
        #[command(flatten)]
        feed: FeedArgs,
    },
}

#[derive(Clone, Copy, ValueEnum)]
enum ListFormat {
    Table,
    Json,
    Csv,
}

#[derive(Clone, Copy, ValueEnum)]
enum ExportFormat {
    Ics,
    Json,
    Csv,
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
enum Input {
    Auto,
    Text,
    Markdown,
    Html,
    Email,
    Org,
    Rst,
    Jsonl,
}

impl Input {
    /// The document format it names; `None` for auto-detection (and jsonl).
    fn document_format(self) -> Option<timeline::document::Format> {
        use timeline::document::Format;
        Some(match self {
            Input::Text => Format::Text,
            Input::Markdown => Format::Markdown,
            Input::Html => Format::Html,
            Input::Email => Format::Email,
            Input::Org => Format::Org,
            Input::Rst => Format::Rst,
            Input::Auto | Input::Jsonl => return None,
        })
    }
}

fn main() -> ExitCode {
    let args = Args::parse();
    let stdin = std::io::stdin();
    let mut stdin = stdin.lock();
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    let mut err = std::io::stderr();
    let clock = args.clock;
    host::use_zone(clock.zone());
    let result = match args.command {
        Command::Extract {
            files,
            dct,
            input,
            format,
            offsets,
            dct_missing,
            jobs,
            doctype,
            long_line,
        } => {
            prompt_for_stdin(&files);
            let opts = extract::ExtractOptions {
                inputs: files,
                dct,
                input: match input {
                    Input::Jsonl => extract::InputFormat::Jsonl,
                    other => extract::InputFormat::Document(other.document_format()),
                },
                format: format.into(),
                offsets: offsets.into(),
                doctype: doctype.into(),
                // The last-resort reference date, and what a --dct phrase
                // is read against.
                today: match clock.now() {
                    Ok(now) => now.date().and_time(chrono::NaiveTime::MIN),
                    Err(f) => return exit(Err(f)),
                },
                dct_missing: dct_missing.into(),
                jobs: jobs
                    .or_else(|| std::thread::available_parallelism().ok().map(|n| n.get()))
                    .unwrap_or(1)
                    .clamp(1, 256),
                long_line: long_line.max(1),
                spool_dir: std::env::temp_dir(),
            };
            extract::extract(&opts, &mut stdin, &mut out, &mut err)
        }
        Command::Eval(a) => eval::eval(&a.into(), &mut out),
        Command::Completions { shell } => {
            let mut cmd = <Args as clap::CommandFactory>::command();
            clap_complete::generate(shell, &mut cmd, "timeline", &mut out);
            Ok(())
        }
        Command::Man => {
            let cmd = <Args as clap::CommandFactory>::command();
            clap_mangen::Man::new(cmd)
                .render(&mut out)
                .map_err(cli::Failure::output)
        }
        Command::EvalEvents { dir, errors, json } => clock.now().and_then(|now| {
            let opts = eval::EvalEventsOptions {
                dir,
                errors,
                json,
                today: now.date().and_time(chrono::NaiveTime::MIN),
            };
            eval::eval_events(&opts, &mut out)
        }),
        other => store_path(args.store).and_then(|store| {
            tracking(
                other,
                &store,
                &clock,
                style(args.color),
                &mut stdin,
                &mut out,
                &mut err,
            )
        }),
    };
    drop(out);
    exit(result)
}

fn exit(result: Result<(), cli::Failure>) -> ExitCode {
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(f) => {
            // A broken pipe ends quietly (its message is empty).
            if !f.message.is_empty() {
                eprintln!("{}", f.message);
            }
            ExitCode::from(f.code.clamp(1, 255) as u8)
        }
    }
}

/// The editor, the terminal and the folder for `edit` and `add -i`.
fn editing(store: &std::path::Path) -> cli::edit::Editing {
    cli::edit::Editing {
        open: host::open_editor,
        terminal: host::stdin_is_terminal(),
        dir: host::edit_dir(store),
    }
}

#[allow(clippy::too_many_arguments)]
fn tracking(
    command: Command,
    store: &std::path::Path,
    clock: &ClockArgs,
    style: views::Style,
    stdin: &mut dyn std::io::BufRead,
    out: &mut dyn std::io::Write,
    err: &mut dyn std::io::Write,
) -> Result<(), cli::Failure> {
    match command {
        Command::Add {
            files,
            dct,
            input_format,
            dry_run,
            format,
            title,
            date,
            recur,
            deadline,
            place,
            tag,
            interactive,
        } => {
            let now = clock.now()?;
            // "+conf" among the files is a tag, as Taskwarrior writes them,
            // unless a file has that name.
            let (plus, files): (Vec<PathBuf>, Vec<PathBuf>) = files.into_iter().partition(|f| {
                f.to_str()
                    .is_some_and(|s| s.starts_with('+') && s.len() > 1)
                    && !f.exists()
            });
            let tags: Vec<String> = tag
                .iter()
                .map(|t| args::tag_name(t))
                .chain(plus.iter().map(|p| args::tag_name(&p.to_string_lossy())))
                .filter(|t| !t.is_empty())
                .collect();
            match title {
                Some(_) if date.is_none() && recur.is_none() => Err(usage(
                    "timeline: add --title needs --date, --recur or both".into(),
                )),
                Some(title) => {
                    let m = track::ManualEvent {
                        title,
                        date,
                        recur,
                        zone: clock.zone(),
                        deadline,
                        place,
                        tags,
                    };
                    track::add_manual(store, &m, now, out, err)
                }
                _ => {
                    let format = match format {
                        ListFormat::Table => track::ViewFormat::Table,
                        ListFormat::Json => track::ViewFormat::Json,
                        ListFormat::Csv => track::ViewFormat::Csv,
                    };
                    if !interactive {
                        prompt_for_stdin(&files);
                    }
                    if input_format == Input::Jsonl {
                        return Err(usage(
                            "timeline: add reads documents; use extract for --input-format jsonl"
                                .into(),
                        ));
                    }
                    let opts = add::AddOptions {
                        input_format: input_format.document_format(),
                        inputs: files,
                        dct,
                        store: store.to_path_buf(),
                        dry_run,
                        format,
                        now,
                        tags,
                    };
                    if interactive {
                        return cli::edit::add_interactive(&opts, &editing(store), stdin, out, err);
                    }
                    add::add_documents(&opts, stdin, out, err)
                }
            }
        }
        Command::List { view } => {
            let opts = view.options(store, clock.now()?, true, style)?;
            track::list(&opts, out)
        }
        Command::Upcoming { view } => {
            let opts = view.options(store, clock.now()?, false, style)?;
            track::upcoming(&opts, out)
        }
        Command::Overdue { view } => {
            let opts = view.options(store, clock.now()?, false, style)?;
            track::overdue(&opts, out)
        }
        Command::Countdown { watch, view } => {
            let opts = view.options(store, clock.now()?, false, style)?;
            if watch && clock.is_set() {
                return Err(usage(
                    "timeline: --watch follows the clock; it takes no --now or --today".to_string(),
                ));
            }
            if !watch {
                return track::countdown(&opts, None, out);
            }
            let keys = host::KeyWatch::start(interrupt_flag());
            let watcher = track::Watch {
                clock: clock_now,
                stop: interrupt_flag(),
                size: host::terminal_size,
            };
            let result = track::countdown(&opts, Some(watcher), out);
            drop(keys);
            result
        }
        Command::Calendar {
            month,
            months,
            view,
        } => {
            let now = clock.now()?;
            let first = match month {
                Some(m) => views::calendar::parse_month(&m)
                    .map_err(|e| usage(format!("timeline: --month: {e}")))?,
                None => views::calendar::month_of(now.date()),
            };
            let mut filter = view.filter(now, true)?;
            filter.include_past = true;
            track::calendar(store, &filter, first, months, now, style, out)
        }
        Command::Done { id } => track::done(store, &id, clock.now()?, out),
        Command::Rm { id, yes } => {
            if !yes && !host::confirm(&format!("Remove {id} from {}?", store.display())) {
                return Err(cli::Failure {
                    message: "timeline: rm: not removed".to_string(),
                    code: 1,
                });
            }
            track::remove(store, &id, out)
        }
        Command::Reopen { id } => track::reopen(store, &id, clock.now()?, out),
        Command::Modify {
            id,
            title,
            date,
            kind,
            place,
            tag,
            untag,
        } => {
            let changes = track::Changes {
                title,
                date,
                kind,
                place,
                add_tags: tag.iter().map(|t| args::tag_name(t)).collect(),
                remove_tags: untag.iter().map(|t| args::tag_name(t)).collect(),
                zone: clock.zone(),
            };
            track::modify(store, &id, &changes, clock.now()?, out)
        }
        Command::Edit { id } => {
            cli::edit::edit(store, &id, clock.now()?, &editing(store), stdin, out, err)
        }
        Command::Undo => track::undo(store, out),
        Command::Show { id } => track::show(store, &id, clock.now()?, out),
        Command::Export {
            format,
            output,
            feed: feed_args,
            view,
        } => {
            // A calendar shows history: past events are in the feed, as
            // `serve` has them; done ones only with --all, on both.
            let mut filter = view.filter(clock.now()?, true)?;
            filter.include_past = true;
            let ics = ics_options(&feed_args, clock.zone())?;
            let format = match format {
                ExportFormat::Ics => feed::ExportFormat::Ics,
                ExportFormat::Json => feed::ExportFormat::Json,
                ExportFormat::Csv => feed::ExportFormat::Csv,
            };
            feed::export(store, &filter, format, &ics, output.as_deref(), out)
        }
        Command::Import(import) => {
            prompt_for_stdin(&import.files);
            let opts = import.options(store, clock.now()?);
            cli::import::import(&opts, stdin, out, err)
        }
        Command::Serve {
            addr,
            token,
            token_file,
            feed: feed_args,
        } => {
            if clock.is_set() {
                return Err(usage(
                    "timeline: serve follows the clock; it takes no --now or --today".to_string(),
                ));
            }
            let mut opts = serve::ServeOptions::new(store, clock_now, cli::SYSTEM_CLOCK);
            opts.addr = addr;
            opts.token = host::serve_token(token, token_file.as_deref())
                .map_err(|e| usage(format!("timeline: serve: {e}")))?;
            opts.ics = ics_options(&feed_args, clock.zone())?;
            opts.limits.max_connections = host::connection_cap(opts.limits.max_connections);
            let stop = interrupt_flag();
            serve::serve(&opts, err, stop).map_err(|e| cli::Failure {
                message: format!("timeline: serve: {e}"),
                code: 1,
            })
        }
        Command::Extract { .. }
        | Command::Eval(_)
        | Command::EvalEvents { .. }
        | Command::Completions { .. }
        | Command::Man => {
            unreachable!("handled in main")
        }
    }
}
