//! Small reusable pieces of screen: text box, score bar, tab bar, highlighted text.

pub mod highlight;
pub mod score_bar;
pub mod tab_bar;
pub mod text_input;
