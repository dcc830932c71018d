//! `timeline`: finds temporal expressions in English text, normalizes them
//! to TIMEX3 values relative to the document's date, and tracks the events
//! they date.
//!
//! ```
//! use chrono::NaiveDate;
//! let dct = NaiveDate::from_ymd_opt(2014, 10, 14).unwrap().and_hms_opt(0, 0, 0).unwrap();
//! let found = timeline::extract("Kerry is to meet Zarif on Wednesday in Vienna.", dct);
//! assert_eq!(found[0].text, "Wednesday");
//! assert_eq!(found[0].value, "2014-10-15");
//! ```
//!
//! One folder per stage of the pipeline, each depending only on the ones
//! below it:
//!
//! - [`cli`]: the commands; the only module that prints.
//! - [`feed`] and [`views`]: iCalendar/JSON/CSV export, the HTTP feed, and
//!   the tables and countdown people read.
//! - [`store`]: `events.toml`, read and written safely.
//! - [`events`]: timexes → the events a person would write down.
//! - [`document`]: reading input and finding its reference date.
//! - [`engine`]: text → timexes (tokenize, grammar, refine, resolve).
//! - [`timeml`]: TimeML reading and writing, and scoring against it.

pub mod cli;
pub mod document;
pub mod engine;
pub mod events;
pub mod feed;
pub mod store;
pub mod timeml;
pub mod views;

pub use engine::timex::{Interval, Timex};
pub use engine::{extract, Extractor};
