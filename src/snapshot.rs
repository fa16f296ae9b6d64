//! The catalog snapshot an index generation keeps beside its index: every record, so that a
//! command which needs them need not read and check the data files again. Binary chunks
//! (see [`crate::chunked`]) that decode on every core; a snapshot of another format or a
//! damaged one reads as `None`, and the caller reads the data files instead.

use crate::chunked::{read_section, write_section};
use crate::model::Catalog;
use std::io::{self, Write};

/// Changes whenever the snapshot's layout or a record's fields do.
const FORMAT: &[u8; 8] = b"mscat001";

/// Writes every record, kind by kind.
pub fn write(catalog: &Catalog, out: &mut dyn Write) -> io::Result<()> {
    out.write_all(FORMAT)?;
    write_section(out, &catalog.datasets)?;
    write_section(out, &catalog.researchers)?;
    write_section(out, &catalog.organizations)?;
    write_section(out, &catalog.proposals)?;
    write_section(out, &catalog.needs)
}

/// Reads what [`write`] wrote; `None` unless the bytes are exactly one snapshot of this format.
pub fn read(bytes: &[u8]) -> Option<Catalog> {
    let mut rest = bytes.strip_prefix(FORMAT.as_slice())?;
    let catalog = Catalog {
        datasets: read_section(&mut rest)?,
        researchers: read_section(&mut rest)?,
        organizations: read_section(&mut rest)?,
        proposals: read_section(&mut rest)?,
        needs: read_section(&mut rest)?,
    };
    rest.is_empty().then_some(catalog)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_catalog_reads_back_whole_unknown_fields_included() {
        let mut catalog = crate::synthetic::catalog(3_000, 7);
        catalog.datasets[0].extra.insert(
            "title_en".into(),
            serde_json::json!({"nested": [1, "二", null], "deep": {"x": true}}),
        );
        let mut bytes = Vec::new();
        write(&catalog, &mut bytes).expect("written to memory");
        assert_eq!(read(&bytes), Some(catalog));
    }

    #[test]
    fn another_format_or_a_damaged_snapshot_reads_as_none() {
        let catalog = crate::synthetic::catalog(500, 3);
        let mut bytes = Vec::new();
        write(&catalog, &mut bytes).expect("written to memory");
        assert_eq!(read(b"{\"datasets\": []}"), None);
        assert_eq!(read(&bytes[..bytes.len() / 2]), None);
        let mut longer = bytes.clone();
        longer.push(0);
        assert_eq!(read(&longer), None);
    }
}
