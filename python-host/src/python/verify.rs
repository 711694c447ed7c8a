//! Checks on what an install downloaded and unpacked.

use anyhow::{bail, Context, Result};
use sha2::{Digest, Sha256};
use std::fs::File;
use std::io::{self, Read};
use std::path::Path;

/// The first 8 bytes of a core WebAssembly module: `\0asm` and version 1.
const WASM_HEADER: [u8; 8] = [0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00];

/// Hex SHA-256 of a file, recorded so an installation can be traced back
/// to the exact package bytes the registry served.
pub(crate) fn sha256_file(path: &Path) -> Result<String> {
    let mut file = File::open(path).with_context(|| format!("cannot open {}", path.display()))?;
    let mut hasher = Sha256::new();
    io::copy(&mut file, &mut hasher).with_context(|| format!("cannot read {}", path.display()))?;
    Ok(hasher
        .finalize()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect())
}

/// Fails unless `path` starts like a core wasm module, so that a package
/// with a renamed or truncated module is caught at install time rather
/// than as a confusing load error later.
pub(crate) fn check_wasm_header(path: &Path) -> Result<()> {
    let mut header = [0u8; 8];
    let mut file = File::open(path)
        .with_context(|| format!("the package has no module at {}", path.display()))?;
    file.read_exact(&mut header)
        .with_context(|| format!("{} is too short to be a wasm module", path.display()))?;
    if header != WASM_HEADER {
        bail!(
            "{} is not a version-1 wasm module (starts with {:02x?})",
            path.display(),
            header
        );
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sha256_matches_a_known_digest() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("abc");
        std::fs::write(&path, b"abc").unwrap();
        assert_eq!(
            sha256_file(&path).unwrap(),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }

    #[test]
    fn wasm_header_is_checked() {
        let dir = tempfile::tempdir().unwrap();
        let good = dir.path().join("good.wasm");
        std::fs::write(&good, WASM_HEADER).unwrap();
        check_wasm_header(&good).unwrap();

        let bad = dir.path().join("bad.wasm");
        std::fs::write(&bad, b"\0asm\x0d\0\x01\0").unwrap();
        assert!(check_wasm_header(&bad).is_err());
        std::fs::write(&bad, b"\0as").unwrap();
        assert!(check_wasm_header(&bad).is_err());
        let err = check_wasm_header(&dir.path().join("missing.wasm")).unwrap_err();
        assert!(err.to_string().contains("missing.wasm"), "{err}");
    }
}
