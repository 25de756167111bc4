//! The HTTP handlers, grouped by what they serve.

pub mod places;
pub mod system;
