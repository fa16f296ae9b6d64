//! Vocabulary tests with known answers.
