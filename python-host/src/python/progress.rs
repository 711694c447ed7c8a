//! Progress messages for long-running installs.
//!
//! Everything goes to stderr so that stdout stays clean for the guest
//! program's own output when an install happens on first use.

use std::time::Duration;

/// Prints one progress line.
pub(crate) fn say(message: impl std::fmt::Display) {
    eprintln!("flint: {message}");
}

/// Formats a byte count the way registries report package sizes (decimal units).
pub(crate) fn bytes(n: u64) -> String {
    const UNITS: [&str; 4] = ["kB", "MB", "GB", "TB"];
    if n < 1000 {
        return format!("{n} B");
    }
    let mut value = n as f64 / 1000.0;
    let mut unit = 0;
    while value >= 1000.0 && unit + 1 < UNITS.len() {
        value /= 1000.0;
        unit += 1;
    }
    format!("{value:.1} {}", UNITS[unit])
}

/// Formats an elapsed time with a precision that suits install steps.
pub(crate) fn duration(d: Duration) -> String {
    format!("{:.1} s", d.as_secs_f64())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_use_decimal_units() {
        assert_eq!(bytes(0), "0 B");
        assert_eq!(bytes(999), "999 B");
        assert_eq!(bytes(11_863_708), "11.9 MB");
        assert_eq!(bytes(85_547_222), "85.5 MB");
        assert_eq!(bytes(2_000_000_000), "2.0 GB");
    }
}
