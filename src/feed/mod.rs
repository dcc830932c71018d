//! The store, out to other programs: iCalendar, JSON and CSV export
//! ([`ical`]) and the HTTP feed calendar apps subscribe to ([`serve`]).
//!
//! Depends on the store, the views' filter and the events; nothing below
//! depends on it.

pub mod ical;
pub mod json_csv;
pub mod serve;
pub mod vtimezone;
