//! Writes the files commands produce: into an output directory, saying `wrote PATH` for each,
//! and atomically where readers must see the old or the new content, never half of it.

use std::path::Path;

use anyhow::Context;

use crate::output::Printer;

/// A directory a command writes its files into, noting each file it writes.
pub(super) struct OutDir<'a> {
    dir: &'a Path,
    printer: &'a Printer,
}

impl<'a> OutDir<'a> {
    /// Creates the directory and its parents.
    pub(super) fn create(dir: &'a Path, printer: &'a Printer) -> anyhow::Result<Self> {
        std::fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
        Ok(OutDir { dir, printer })
    }

    /// Writes the file `name` in place.
    pub(super) fn write(&self, name: &str, text: &str) -> anyhow::Result<()> {
        self.put(name, |path| Ok(std::fs::write(path, text)?))
    }

    /// Writes the file `name` atomically (see [`write_atomically`]).
    pub(super) fn write_atomically(&self, name: &str, text: &str) -> anyhow::Result<()> {
        self.put(name, |path| write_atomically(path, text.as_bytes()))
    }

    fn put(
        &self,
        name: &str,
        write: impl FnOnce(&Path) -> anyhow::Result<()>,
    ) -> anyhow::Result<()> {
        let path = self.dir.join(name);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent)
                .with_context(|| format!("cannot create {}", parent.display()))?;
        }
        write(&path).with_context(|| format!("cannot write {}", path.display()))?;
        self.printer.note(&format!("wrote {}", path.display()));
        Ok(())
    }
}

/// Writes a file through a temporary file in the same directory, synced, then renamed.
pub(super) fn write_atomically(path: &Path, bytes: &[u8]) -> anyhow::Result<()> {
    use std::io::Write;
    let dir = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let mut tmp = tempfile::NamedTempFile::new_in(dir)?;
    tmp.write_all(bytes)?;
    tmp.as_file().sync_all()?;
    tmp.persist(path)?;
    Ok(())
}
