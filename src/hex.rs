//! Lower-case hexadecimal spelling of bytes, for fingerprints and hashes written as text.

const DIGITS: &[u8; 16] = b"0123456789abcdef";

/// `bytes` as two lower-case hex digits each.
pub fn encode(bytes: &[u8]) -> String {
    let mut hex = String::with_capacity(bytes.len() * 2);
    for &b in bytes {
        hex.push(char::from(DIGITS[usize::from(b >> 4)]));
        hex.push(char::from(DIGITS[usize::from(b & 0x0f)]));
    }
    hex
}

/// The `N` bytes that [`encode`] spells as `text`; `None` for any other text (another length,
/// upper-case or other characters).
pub fn decode<const N: usize>(text: &str) -> Option<[u8; N]> {
    let bytes = text.as_bytes();
    if bytes.len() != N * 2 {
        return None;
    }
    let digit = |c: u8| match c {
        b'0'..=b'9' => Some(c - b'0'),
        b'a'..=b'f' => Some(c - b'a' + 10),
        _ => None,
    };
    let mut out = [0u8; N];
    for (byte, pair) in out.iter_mut().zip(bytes.chunks_exact(2)) {
        *byte = (digit(pair[0])? << 4) | digit(pair[1])?;
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn encodes_as_format_does_and_decodes_back() {
        let bytes: Vec<u8> = (0..=255).collect();
        let spelled: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
        assert_eq!(encode(&bytes), spelled);
        let pair: [u8; 2] = [0x0f, 0xa0];
        assert_eq!(decode::<2>("0fa0"), Some(pair));
        for odd in ["", "0fa", "0FA0", "0fa0 ", "0g00"] {
            assert_eq!(decode::<2>(odd), None, "{odd}");
        }
    }
}
