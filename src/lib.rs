//! `timeline`: finds temporal expressions in English text and normalizes
//! them to TIMEX3 values relative to the document's date.
//!
//! ```
//! use chrono::NaiveDate;
//! let dct = NaiveDate::from_ymd_opt(2014, 10, 14).unwrap().and_hms_opt(0, 0, 0).unwrap();
//! let found = timeline::extract("Kerry is to meet Zarif on Wednesday in Vienna.", dct);
//! assert_eq!(found[0].text, "Wednesday");
//! assert_eq!(found[0].value, "2014-10-15");
//! ```
//!
//! The pipeline, one module per stage: [`tokenize`] → [`parse`] (the
//! grammar, producing [`partial`] values) → [`refine`] → [`resolve`] (with
//! [`tense`] cues), driven by [`extract`].

pub mod extract;
pub mod lexicon;
pub mod parse;
pub mod partial;
pub mod refine;
pub mod resolve;
pub mod tense;
pub mod timex;
pub mod tokenize;
pub mod track;
pub mod views;

pub use extract::{extract, Extractor};
pub use timex::{Interval, Timex};
pub mod cli;
pub mod dct;
pub mod eval;
pub mod event;
pub mod events;
pub mod export;
pub mod serve;
pub mod store;
pub mod timeml;
