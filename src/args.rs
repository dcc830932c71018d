//! The option groups several commands share (the clock, filters, view
//! output, the feed) and what they turn into for the library.

use timeline::cli::{self, track};
use timeline::events::Kind;
use timeline::feed::ical as export;
use timeline::views;
use timeline::views::dates::Lean;

use crate::host::{clock_now, system_zone};
use crate::ListFormat;

/// How the iCalendar feed is written, for `export` and `serve`.
#[derive(clap::Args)]
pub struct FeedArgs {
    /// Reminder before each deadline, e.g. 1d, 2h; "off" for none.
    #[arg(long, default_value = "1d")]
    pub alarm: String,
    /// Also write deadlines as tasks (VTODO with DUE).
    #[arg(long)]
    pub todo: bool,
    /// Calendar name shown by calendar apps.
    #[arg(long, default_value = "timeline")]
    pub name: String,
}

/// "Now" for every command: --now, else the start of --today, else the clock.
#[derive(clap::Args)]
pub struct ClockArgs {
    /// Take this day as today: 2026-11-30, or "yesterday", "last friday".
    #[arg(long, global = true, conflicts_with = "now")]
    pub today: Option<String>,
    /// Take this as the current date-time: 2026-11-30T09:00, or "tomorrow 9am".
    #[arg(long, global = true)]
    pub now: Option<String>,
    /// Your time zone, as the tz database names it ("Europe/Vienna",
    /// "America/New_York"); default: the system's ($TZ, /etc/localtime).
    /// Times you type and the store's own times are in it; the feed turns
    /// them into UTC.
    #[arg(long, global = true, value_parser = parse_zone)]
    pub tz: Option<String>,
}

#[derive(clap::Args)]
pub struct FilterArgs {
    /// Only events on or after this date: 2026-12-01, "tomorrow", "next monday".
    #[arg(long)]
    pub from: Option<String>,
    /// Only events up to this date (inclusive): 2026-12-31, "friday".
    #[arg(long)]
    pub to: Option<String>,
    /// Only events within this span from now: 30d, 2w, 6m, 1y, 12h, "2 weeks".
    #[arg(long)]
    pub within: Option<String>,
    /// Only events of these kinds: deadline, meeting, scheduled, past, ongoing, recurring.
    #[arg(long, value_delimiter = ',', value_parser = parse_kind)]
    pub kind: Vec<Kind>,
    /// Only events whose place contains this text.
    #[arg(long = "where")]
    pub place: Option<String>,
    /// Only events whose title, notes or sources contain this text.
    #[arg(long)]
    pub grep: Option<String>,
    /// Only events with these tags (all of them): --tag work,grants.
    #[arg(long, value_delimiter = ',')]
    pub tag: Vec<String>,
    /// Include done events (and, for list and export, past ones).
    #[arg(long)]
    pub all: bool,
}

/// Filters plus the output format, for `list`, `upcoming` and `countdown`.
#[derive(clap::Args)]
pub struct ViewArgs {
    #[command(flatten)]
    pub filter: FilterArgs,
    /// Output format.
    #[arg(long, value_enum, default_value_t = ListFormat::Table)]
    pub format: ListFormat,
    /// Show at most N rows of a table, then how many more there are. By
    /// default a table on a terminal fills its height; 0 shows every row.
    #[arg(long, value_name = "N")]
    pub limit: Option<usize>,
}

pub fn usage(message: String) -> cli::Failure {
    cli::Failure { message, code: 2 }
}

impl ClockArgs {
    /// "Now": --now, else the start of --today, else the clock. Both flags
    /// take phrases ("yesterday 9am"), read against the clock.
    pub fn now(&self) -> Result<chrono::NaiveDateTime, cli::Failure> {
        let read = |flag: &str, s: &str| {
            views::dates::read_date(s, clock_now(), Lean::Nearest)
                .map_err(|e| usage(format!("timeline: --{flag}: {e}")))
        };
        match (&self.now, &self.today) {
            (Some(n), _) => Ok(read("now", n)?.at),
            (None, Some(t)) => Ok(read("today", t)?.at.date().and_time(chrono::NaiveTime::MIN)),
            (None, None) => Ok(clock_now()),
        }
    }

    /// The user's zone: --tz, else the system's, else none known.
    pub fn zone(&self) -> Option<String> {
        self.tz.clone().or_else(system_zone)
    }

    pub fn is_set(&self) -> bool {
        self.now.is_some() || self.today.is_some()
    }
}

/// `extract --format`.
#[derive(Clone, Copy, clap::ValueEnum)]
pub enum Format {
    Table,
    Json,
    Jsonl,
    Timeml,
}

impl From<Format> for cli::extract::OutputFormat {
    fn from(f: Format) -> Self {
        match f {
            Format::Table => Self::Table,
            Format::Json => Self::Json,
            Format::Jsonl => Self::Jsonl,
            Format::Timeml => Self::Timeml,
        }
    }
}

/// `extract --offsets`.
#[derive(Clone, Copy, clap::ValueEnum)]
pub enum OffsetUnit {
    Bytes,
    Chars,
}

impl From<OffsetUnit> for cli::extract::Offsets {
    fn from(o: OffsetUnit) -> Self {
        match o {
            OffsetUnit::Bytes => Self::Bytes,
            OffsetUnit::Chars => Self::Chars,
        }
    }
}

/// `--doctype`: what an underspecified date is read against.
#[derive(Clone, Copy, clap::ValueEnum)]
pub enum DocTypeArg {
    /// Detect each document's kind: many years far from the DCT and few
    /// words such as "yesterday" or "Tuesday" make a narrative; one
    /// sentence of at most 20 words without a year is colloquial; the rest
    /// is news.
    Auto,
    /// Dated by its reference date: "said Tuesday", "in March" are the
    /// ones nearest the DCT, as the clause's tense says.
    News,
    /// History, biography: "In 1862 … in March" is March 1862, "that
    /// year" and "the following spring" follow the story.
    Narrative,
    /// A typed phrase or a chat line: "Friday works for me" is the coming
    /// Friday, unless a past cue ("was", "said") says otherwise.
    Colloquial,
}

impl From<DocTypeArg> for timeline::engine::doctype::DocType {
    fn from(d: DocTypeArg) -> Self {
        match d {
            DocTypeArg::Auto => Self::Auto,
            DocTypeArg::News => Self::News,
            DocTypeArg::Narrative => Self::Narrative,
            DocTypeArg::Colloquial => Self::Colloquial,
        }
    }
}

/// `eval`'s arguments.
#[derive(clap::Args)]
pub struct EvalArgs {
    /// A folder searched recursively for .tml files, or one file.
    gold: std::path::PathBuf,
    /// Also list this many misses, false alarms and wrong values.
    #[arg(long, default_value_t = 0)]
    errors: usize,
    /// Print the figures as one JSON object.
    #[arg(long)]
    json: bool,
    /// Read every document as this kind (default: detect each one's).
    #[arg(long, value_enum, default_value_t = DocTypeArg::Auto)]
    doctype: DocTypeArg,
}

impl From<EvalArgs> for cli::eval::EvalOptions {
    fn from(a: EvalArgs) -> Self {
        Self {
            gold: a.gold,
            errors: a.errors,
            json: a.json,
            doctype: a.doctype.into(),
        }
    }
}

/// `extract --dct-missing`.
#[derive(Clone, Copy, Debug, clap::ValueEnum)]
pub enum DctMissingArg {
    Error,
    Today,
}

impl From<DctMissingArg> for timeline::cli::corpus::DctMissing {
    fn from(a: DctMissingArg) -> Self {
        match a {
            DctMissingArg::Error => Self::Error,
            DctMissingArg::Today => Self::Today,
        }
    }
}

pub fn parse_zone(s: &str) -> Result<String, String> {
    timeline::engine::zone::canonical(s).map(str::to_string).ok_or_else(|| {
        format!("unknown time zone {s:?}; give a tz database name such as Europe/Vienna or America/New_York")
    })
}

pub fn parse_kind(s: &str) -> Result<Kind, String> {
    Kind::parse(s).ok_or_else(|| {
        let names: Vec<&str> = Kind::ALL.iter().map(|k| k.name()).collect();
        format!("unknown kind {s:?}; one of {}", names.join(", "))
    })
}

impl FilterArgs {
    /// The filter and "now"; `past` says whether --all also shows past events.
    pub fn filter(
        &self,
        now: chrono::NaiveDateTime,
        past_with_all: bool,
    ) -> Result<views::Filter, cli::Failure> {
        let day = |flag: &str,
                   v: &Option<String>|
         -> Result<Option<views::dates::TypedDate>, cli::Failure> {
            v.as_deref()
                .map(|s| {
                    let d = views::dates::read_date(s, now, Lean::Nearest)
                        .map_err(|e| usage(format!("timeline: --{flag}: {e}")))?;
                    if !d.iso {
                        eprintln!("timeline: --{flag} {s} → {}", d.echo());
                    }
                    Ok(d)
                })
                .transpose()
        };
        // "--to 2014-12-31" and "--to friday" include that day.
        let mut to = day("to", &self.to)?.map(|t| {
            if t.has_time {
                t.at
            } else {
                t.at + chrono::Duration::days(1)
            }
        });
        if let Some(w) = &self.within {
            let limit = views::dates::read_span(w, now)
                .and_then(|span| views::span_end(now, span, w))
                .map_err(|e| usage(format!("timeline: --within: {e}")))?;
            to = Some(to.map_or(limit, |t| t.min(limit)));
        }
        let filter = views::Filter {
            from: day("from", &self.from)?.map(|d| d.at),
            to,
            kinds: self.kind.clone(),
            place: self.place.clone(),
            grep: self.grep.clone(),
            include_done: self.all,
            include_past: self.all && past_with_all || self.kind.contains(&Kind::Past),
            tags: self.tag.iter().map(|t| tag_name(t)).collect(),
        };
        Ok(filter)
    }
}

impl ViewArgs {
    pub fn options(
        &self,
        store: &std::path::Path,
        now: chrono::NaiveDateTime,
        past_with_all: bool,
        style: views::Style,
    ) -> Result<track::ViewOptions, cli::Failure> {
        let filter = self.filter.filter(now, past_with_all)?;
        // A table taller than the terminal scrolls its header away, and
        // drawing 80,000 rows is most of what a view of a big store costs.
        let rows = || {
            crate::host::terminal_size()
                .map(|(_, rows)| usize::from(rows).saturating_sub(6).max(10))
        };
        let limit = match self.limit {
            Some(0) => None,
            Some(n) => Some(n),
            None => rows(),
        };
        Ok(track::ViewOptions {
            store: store.to_path_buf(),
            now,
            filter,
            format: self.format(),
            style,
            limit,
        })
    }

    fn format(&self) -> track::ViewFormat {
        match self.format {
            ListFormat::Table => track::ViewFormat::Table,
            ListFormat::Json => track::ViewFormat::Json,
            ListFormat::Csv => track::ViewFormat::Csv,
        }
    }
}

pub fn ics_options(
    feed: &FeedArgs,
    zone: Option<String>,
) -> Result<export::IcsOptions, cli::Failure> {
    let (alarm, todo, name) = (feed.alarm.as_str(), feed.todo, feed.name.as_str());
    let alarm = if alarm == "off" || alarm == "none" {
        None
    } else {
        Some(views::parse_span(alarm).map_err(|e| usage(format!("timeline: --alarm: {e}")))?)
    };
    Ok(export::IcsOptions {
        calendar_name: name.to_string(),
        alarm,
        todo,
        zone,
        ..export::IcsOptions::default()
    })
}

/// A tag as typed, "+work" or "work": the name without the plus.
pub fn tag_name(t: &str) -> String {
    t.trim().trim_start_matches('+').to_string()
}

/// The arguments of `timeline import`.
#[derive(clap::Args)]
pub struct ImportArgs {
    /// iCalendar (.ics) or JSON files ("-": standard input); the format
    /// comes from the extension, else from the content.
    pub files: Vec<std::path::PathBuf>,
    /// Show what would be added and updated, and change nothing.
    #[arg(long)]
    pub dry_run: bool,
    /// Output of --dry-run.
    #[arg(long, value_enum, default_value_t = DryRunFormat::Table)]
    pub format: DryRunFormat,
    /// Tags for the imported events: --tag work,grants (or +work).
    #[arg(long, value_delimiter = ',')]
    pub tag: Vec<String>,
}

#[derive(Clone, Copy, clap::ValueEnum)]
pub enum DryRunFormat {
    Table,
    Json,
}

impl ImportArgs {
    pub fn options(
        self,
        store: &std::path::Path,
        now: chrono::NaiveDateTime,
    ) -> timeline::cli::import::ImportOptions {
        use timeline::cli::import;
        // "+work" among the files is a tag, as for `add`, unless a file
        // has that name.
        let (plus, files): (Vec<_>, Vec<_>) = self.files.into_iter().partition(|f| {
            f.to_str()
                .is_some_and(|s| s.starts_with('+') && s.len() > 1)
                && !f.exists()
        });
        import::ImportOptions {
            inputs: files,
            store: store.to_path_buf(),
            dry_run: self.dry_run,
            format: match self.format {
                DryRunFormat::Table => import::DryRunFormat::Table,
                DryRunFormat::Json => import::DryRunFormat::Json,
            },
            now,
            tags: self
                .tag
                .iter()
                .map(|t| tag_name(t))
                .chain(plus.iter().map(|p| tag_name(&p.to_string_lossy())))
                .filter(|t| !t.is_empty())
                .collect(),
        }
    }
}
