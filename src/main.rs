//! `timeline` command line: parses arguments and hands them to the library.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};
use timeline::cli;

/// Find half-written dates in text and normalize them to TIMEX3 values.
#[derive(Parser)]
#[command(name = "timeline", version, about, long_about = None)]
struct Args {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Find temporal expressions and resolve them against the document's date.
    ///
    /// Examples:
    ///   timeline extract examples/vienna-talks.txt --dct 2014-10-14
    ///   timeline extract --input jsonl --format jsonl corpus.jsonl > timexes.jsonl
    ///
    /// The reference date comes from --dct, else from the document (an email
    /// Date: header, a `published:` front-matter field, or a dateline such as
    /// "PARIS, Oct. 14 —"), else today; stderr says which was used.
    #[command(verbatim_doc_comment)]
    Extract {
        /// Files to read ("-" or none: standard input).
        files: Vec<PathBuf>,
        /// Reference date: YYYY-MM-DD or YYYY-MM-DDTHH:MM[:SS].
        #[arg(long)]
        dct: Option<String>,
        /// text: each file is one document; jsonl: each line is {"doc","dct","text"}.
        #[arg(long, value_enum, default_value_t = Input::Text)]
        input: Input,
        /// Output format.
        #[arg(long, value_enum, default_value_t = Format::Table)]
        format: Format,
        /// What JSON start/end offsets count: UTF-8 bytes or Unicode code points.
        #[arg(long, value_enum, default_value_t = OffsetUnit::Bytes)]
        offsets: OffsetUnit,
    },
    /// Score the engine against TimeML gold files (TempEval-3 task A metrics).
    ///
    /// Example: timeline eval ../shared/corpora/tempeval3-train --errors 20
    Eval {
        /// A folder searched recursively for .tml files, or one file.
        gold: PathBuf,
        /// Also list this many misses, false alarms and wrong values.
        #[arg(long, default_value_t = 0)]
        errors: usize,
        /// Print the figures as one JSON object.
        #[arg(long)]
        json: bool,
    },
}

#[derive(Clone, Copy, ValueEnum)]
enum Input {
    Text,
    Jsonl,
}

#[derive(Clone, Copy, ValueEnum)]
enum Format {
    Table,
    Json,
    Jsonl,
    Timeml,
}

#[derive(Clone, Copy, ValueEnum)]
enum OffsetUnit {
    Bytes,
    Chars,
}

fn main() -> ExitCode {
    let args = Args::parse();
    let stdin = std::io::stdin();
    let mut stdin = stdin.lock();
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    let mut err = std::io::stderr();
    let result = match args.command {
        Command::Extract {
            files,
            dct,
            input,
            format,
            offsets,
        } => {
            let opts = cli::ExtractOptions {
                inputs: files,
                dct,
                input: match input {
                    Input::Text => cli::InputFormat::Text,
                    Input::Jsonl => cli::InputFormat::Jsonl,
                },
                format: match format {
                    Format::Table => cli::OutputFormat::Table,
                    Format::Json => cli::OutputFormat::Json,
                    Format::Jsonl => cli::OutputFormat::Jsonl,
                    Format::Timeml => cli::OutputFormat::Timeml,
                },
                offsets: match offsets {
                    OffsetUnit::Bytes => cli::Offsets::Bytes,
                    OffsetUnit::Chars => cli::Offsets::Chars,
                },
                // The only place the clock is read: the last-resort reference date.
                today: chrono::Local::now()
                    .naive_local()
                    .date()
                    .and_time(chrono::NaiveTime::MIN),
            };
            cli::extract(&opts, &mut stdin, &mut out, &mut err)
        }
        Command::Eval { gold, errors, json } => {
            cli::eval(&cli::EvalOptions { gold, errors, json }, &mut out)
        }
    };
    drop(out);
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(f) => {
            eprintln!("{}", f.message);
            ExitCode::from(f.code.clamp(1, 255) as u8)
        }
    }
}
