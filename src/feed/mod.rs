//! The store, out to other programs and back: iCalendar, JSON and CSV
//! export ([`ical`], [`json_csv`]), the HTTP feed calendar apps subscribe
//! to ([`serve`]), and iCalendar and JSON files read back in ([`import`]).
//!
//! Depends on the store, the views' filter and the events; nothing below
//! depends on it.

pub mod ical;
#[cfg(test)]
mod ics_crate_tests;
pub mod ics_event;
mod ics_text;
pub mod import;
pub mod json_csv;
pub mod serve;
pub mod vtimezone;
