//! Slum assessment (penilaian kumuh): rule sets and scoring.
