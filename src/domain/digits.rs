//! Zero-padded decimal digits pushed onto text: the times of samples and of attempt lines,
//! printed thousands of times a second, without the formatting machinery.

/// Appends the last `width` decimal digits of `value`, zero-padded.
pub fn push_zero_padded(out: &mut String, value: u16, width: u32) {
    for place in (0..width).rev() {
        let digit = (value / 10_u16.pow(place)) % 10;
        out.push(char::from(b'0' + digit as u8));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn digits_are_zero_padded_to_their_width() {
        for (value, width) in [
            (0, 2),
            (7, 2),
            (59, 2),
            (45, 3),
            (999, 3),
            (2026, 4),
            (5, 4),
        ] {
            let mut out = String::from(">");
            push_zero_padded(&mut out, value, width);
            assert_eq!(out, format!(">{value:0width$}", width = width as usize));
        }
    }
}
