//! Reading input: what a document is before the engine sees its text, and
//! the reference date (DCT) it carries.
//!
//! May use the engine (to read a date in a header); never events, the
//! store or anything above them.

pub mod dct;
