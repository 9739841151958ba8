//! The checkpoint of `events send`: the last line up to which every event was acknowledged (sent,
//! or written to the rejects file), and the blake3 hash of the input it belongs to. It is
//! replaced atomically and durably (temporary file, fsync, rename), so a crash leaves the old
//! checkpoint or the new one, never a torn one.

use std::ffi::OsString;
use std::io::Write;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

/// The version of the checkpoint format.
pub const FORMAT_VERSION: u32 = 1;

/// Progress of one input file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Checkpoint {
    /// [`FORMAT_VERSION`].
    pub format_version: u32,
    /// blake3 of the whole input file, in hex.
    pub input_hash: String,
    /// Every event on lines `1..=line` was acknowledged.
    pub line: u64,
}

/// Why a checkpoint cannot be used.
#[derive(Debug, thiserror::Error)]
pub enum CheckpointError {
    /// The file exists but cannot be read.
    #[error("cannot read the checkpoint {path}")]
    Read {
        /// The checkpoint file.
        path: PathBuf,
        /// Why.
        #[source]
        source: std::io::Error,
    },
    /// The file is not a checkpoint of this version.
    #[error(
        "{path} is not a checkpoint written by this version of intercom-iac: {reason}\n  help: delete it to start over from line 1"
    )]
    Invalid {
        /// The checkpoint file.
        path: PathBuf,
        /// What is wrong.
        reason: String,
    },
    /// The input is not the one the checkpoint was written for.
    #[error(
        "{input} changed since {path} was written (it records progress up to line {line} of another content)\n  help: send the original file, or delete {path} to send this one from line 1"
    )]
    InputChanged {
        /// The input file.
        input: String,
        /// The checkpoint file.
        path: PathBuf,
        /// The line it records.
        line: u64,
    },
    /// The checkpoint cannot be written.
    #[error("cannot write the checkpoint {path}")]
    Write {
        /// The checkpoint file.
        path: PathBuf,
        /// Why.
        #[source]
        source: std::io::Error,
    },
}

/// `<input>.checkpoint`.
pub fn path_for(input: &Path) -> PathBuf {
    with_suffix(input, ".checkpoint")
}

/// `input` with `suffix` appended to its file name.
pub fn with_suffix(input: &Path, suffix: &str) -> PathBuf {
    let mut s = OsString::from(input.as_os_str());
    s.push(suffix);
    PathBuf::from(s)
}

/// Reads a checkpoint; `None` when there is none.
pub fn read(path: &Path) -> Result<Option<Checkpoint>, CheckpointError> {
    let text = match std::fs::read_to_string(path) {
        Ok(t) => t,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(source) => {
            return Err(CheckpointError::Read {
                path: path.to_path_buf(),
                source,
            });
        }
    };
    let invalid = |reason: String| CheckpointError::Invalid {
        path: path.to_path_buf(),
        reason,
    };
    let c: Checkpoint = serde_json::from_str(&text).map_err(|e| invalid(e.to_string()))?;
    if c.format_version != FORMAT_VERSION {
        return Err(invalid(format!(
            "format version {} (this version writes {FORMAT_VERSION})",
            c.format_version
        )));
    }
    Ok(Some(c))
}

impl Checkpoint {
    /// Refuses a checkpoint written for other content than `hash`.
    pub fn check_input(&self, input: &str, path: &Path, hash: &str) -> Result<(), CheckpointError> {
        if self.input_hash != hash {
            return Err(CheckpointError::InputChanged {
                input: input.to_string(),
                path: path.to_path_buf(),
                line: self.line,
            });
        }
        Ok(())
    }
}

/// Replaces the checkpoint durably.
pub fn write(path: &Path, checkpoint: &Checkpoint) -> Result<(), CheckpointError> {
    let fail = |source| CheckpointError::Write {
        path: path.to_path_buf(),
        source,
    };
    let dir = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let mut text = serde_json::to_string_pretty(checkpoint)
        .map_err(std::io::Error::other)
        .map_err(fail)?;
    text.push('\n');
    let mut tmp = tempfile::NamedTempFile::new_in(dir).map_err(fail)?;
    tmp.write_all(text.as_bytes()).map_err(fail)?;
    tmp.as_file().sync_all().map_err(fail)?;
    tmp.persist(path).map_err(|e| fail(e.error))?;
    // The rename is durable once the directory entry is.
    if let Ok(d) = std::fs::File::open(dir) {
        let _ = d.sync_all();
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip_and_refusals() {
        let dir = tempfile::tempdir().unwrap();
        let path = path_for(&dir.path().join("events.ndjson"));
        assert!(path.ends_with("events.ndjson.checkpoint"));
        assert_eq!(read(&path).unwrap(), None);
        let c = Checkpoint {
            format_version: FORMAT_VERSION,
            input_hash: "abc".into(),
            line: 42,
        };
        write(&path, &c).unwrap();
        assert_eq!(read(&path).unwrap(), Some(c.clone()));
        assert!(c.check_input("f", &path, "abc").is_ok());
        let err = c.check_input("f", &path, "def").unwrap_err();
        assert!(err.to_string().contains("f changed since"), "{err}");
        std::fs::write(&path, "{").unwrap();
        assert!(matches!(read(&path), Err(CheckpointError::Invalid { .. })));
    }
}
