//! TEMPORARY until the vocab branch lands.
use crate::vocab::Vocabulary;
pub fn print_resolve(
    vocab: &Vocabulary,
    text: &str,
    _json: bool,
    out: &mut dyn std::io::Write,
) -> anyhow::Result<()> {
    for r in vocab.resolve(text) {
        writeln!(out, "{} {} {}", r.concept, r.method, r.confidence)?;
    }
    Ok(())
}
pub fn print_show(
    vocab: &Vocabulary,
    id: &str,
    out: &mut dyn std::io::Write,
) -> anyhow::Result<()> {
    writeln!(out, "{:?}", vocab.concept(id))?;
    Ok(())
}
