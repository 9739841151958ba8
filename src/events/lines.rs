//! Reading an event file line by line in constant memory: a `BufReader`, one reused buffer, a
//! cap on a line's length (the rest of a longer line is skipped, not stored), and a running
//! blake3 hash of every byte read, for checkpoints.

use std::fs::File;
use std::io::{self, BufRead, BufReader, Read};
use std::path::{Path, PathBuf};

/// The longest line accepted, in bytes (without its line break).
pub const MAX_LINE_BYTES: usize = 1024 * 1024;

/// Where events are read from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Input {
    /// A file.
    File(PathBuf),
    /// Standard input (`-`).
    Stdin,
}

impl Input {
    /// `-` is stdin; anything else a file.
    pub fn from_arg(arg: &Path) -> Input {
        if arg == Path::new("-") {
            Input::Stdin
        } else {
            Input::File(arg.to_path_buf())
        }
    }

    /// The name messages use: the path, or `<stdin>`.
    pub fn display(&self) -> String {
        match self {
            Input::File(p) => p.display().to_string(),
            Input::Stdin => "<stdin>".to_string(),
        }
    }

    /// Opens the input for reading.
    pub fn open(&self) -> io::Result<Box<dyn Read + Send>> {
        Ok(match self {
            Input::File(p) => Box::new(File::open(p)?),
            Input::Stdin => Box::new(io::stdin()),
        })
    }
}

/// One line of input.
#[derive(Debug, PartialEq, Eq)]
pub enum Line<'a> {
    /// The text, without `\n` or `\r\n`.
    Text(&'a str),
    /// Longer than the cap; its content was skipped.
    TooLong,
    /// Not UTF-8.
    NotUtf8,
}

/// A reader of numbered lines.
pub struct Lines<R> {
    reader: BufReader<Hashing<R>>,
    buf: Vec<u8>,
    number: u64,
    max: usize,
}

impl<R: Read> Lines<R> {
    /// Lines of `reader`, each at most `max` bytes.
    pub fn new(reader: R, max: usize) -> Lines<R> {
        Lines {
            reader: BufReader::with_capacity(
                256 * 1024,
                Hashing {
                    inner: reader,
                    hasher: blake3::Hasher::new(),
                },
            ),
            buf: Vec::new(),
            number: 0,
            max,
        }
    }

    /// The next line and its number (1-based, blank lines counted), or `None` at the end.
    pub fn next_line(&mut self) -> io::Result<Option<(u64, Line<'_>)>> {
        self.buf.clear();
        let limit = self.max as u64 + 2;
        let n = (&mut self.reader)
            .take(limit)
            .read_until(b'\n', &mut self.buf)?;
        if n == 0 {
            return Ok(None);
        }
        self.number += 1;
        let ended = self.buf.last() == Some(&b'\n');
        if ended {
            self.buf.pop();
        }
        if self.buf.last() == Some(&b'\r') {
            self.buf.pop();
        }
        if self.buf.len() > self.max {
            if !ended {
                self.reader.skip_until(b'\n')?;
            }
            return Ok(Some((self.number, Line::TooLong)));
        }
        Ok(Some((
            self.number,
            match std::str::from_utf8(&self.buf) {
                Ok(s) => Line::Text(s),
                Err(_) => Line::NotUtf8,
            },
        )))
    }

    /// Reads to the end, then returns the blake3 hash of every byte, in hex.
    pub fn finish(mut self) -> io::Result<String> {
        io::copy(&mut self.reader, &mut io::sink())?;
        Ok(self.reader.get_ref().hasher.finalize().to_hex().to_string())
    }
}

/// Hashes what passes through.
struct Hashing<R> {
    inner: R,
    hasher: blake3::Hasher,
}

impl<R: Read> Read for Hashing<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.hasher.update(&buf[..n]);
        Ok(n)
    }
}

/// The blake3 hash of a whole file, in hex.
pub fn hash_file(path: &Path) -> io::Result<String> {
    let mut hasher = blake3::Hasher::new();
    let mut file = File::open(path)?;
    io::copy(&mut file, &mut hasher)?;
    Ok(hasher.finalize().to_hex().to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn all(input: &[u8], max: usize) -> Vec<(u64, String)> {
        let mut lines = Lines::new(input, max);
        let mut out = Vec::new();
        while let Some((n, line)) = lines.next_line().unwrap() {
            out.push((n, format!("{line:?}")));
        }
        out
    }

    #[test]
    fn numbers_lines_and_caps_length() {
        let got = all(b"a\r\n\n0123456789\nbcd\n\xff\nlast", 4);
        let want = [
            (1, "Text(\"a\")"),
            (2, "Text(\"\")"),
            (3, "TooLong"),
            (4, "Text(\"bcd\")"),
            (5, "NotUtf8"),
            (6, "Text(\"last\")"),
        ];
        let want: Vec<(u64, String)> = want.iter().map(|(n, s)| (*n, s.to_string())).collect();
        assert_eq!(got, want);
    }

    #[test]
    fn a_line_of_exactly_the_cap_fits() {
        assert_eq!(
            all(b"abcd\nabcde", 4),
            [
                (1, "Text(\"abcd\")".to_string()),
                (2, "TooLong".to_string())
            ]
        );
    }

    #[test]
    fn hash_covers_every_byte() {
        let data = b"one\ntwo\n";
        let mut lines = Lines::new(&data[..], 10);
        lines.next_line().unwrap();
        let hash = lines.finish().unwrap();
        assert_eq!(hash, blake3::hash(data).to_hex().to_string());
    }
}
