//! `events send`: validate the whole input, then post each event with `POST /events` at a
//! bounded rate and concurrency, recording progress in a checkpoint and the lines Intercom
//! refuses (or that were skipped as invalid) in a rejects file.
//!
//! Progress is a watermark: the highest line such that every event on it or before it was
//! acknowledged. Events still in flight hold it back, so it never claims an unanswered event;
//! on `--resume` events between the watermark and the crash are sent again, which Intercom
//! de-duplicates on (contact, event name, `created_at`).

use std::collections::BTreeSet;
use std::fs::File;
use std::io::{self, BufWriter, IsTerminal, Read, Seek, Write};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use anyhow::{Context, bail};
use tokio::sync::mpsc;
use tokio::task::JoinSet;
use tokio::time::Instant;

use super::check::Contract;
use super::checkpoint::{self, Checkpoint};
use super::lines::{self, Input, Line, Lines, MAX_LINE_BYTES};
use super::validate::{self, Scan};
use crate::intercom::{ApiError, Client, Event};
use crate::output::{Printer, Style};

/// How often the checkpoint is rewritten while sending.
const CHECKPOINT_EVERY: Duration = Duration::from_secs(1);
/// Lines read ahead of the sender.
const READ_AHEAD: usize = 1024;

/// The options of one send, resolved from the flags by the command.
#[derive(Debug, Clone)]
pub struct SendOptions {
    /// Most events per second.
    pub rate: u32,
    /// Requests in flight at once.
    pub concurrency: usize,
    /// Send the valid lines even when some are invalid.
    pub skip_invalid: bool,
    /// Where refused and skipped lines go.
    pub rejects: PathBuf,
    /// The checkpoint file; `None` for stdin.
    pub checkpoint: Option<PathBuf>,
    /// Continue after the checkpoint's line.
    pub resume: bool,
}

/// Counts of one run.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct SendCounts {
    /// Accepted by Intercom (202).
    pub sent: u64,
    /// Refused by Intercom (unknown contact, rejected values).
    pub refused: u64,
    /// Invalid lines skipped (`--skip-invalid`).
    pub skipped: u64,
}

/// A send whose input passed validation (pass 1): ready for [`Prepared::send`].
pub struct Prepared<'a> {
    job: Job<'a>,
    source: Source,
}

/// Pass 1 of `events send FILE|-`: checks the checkpoint and validates the whole input,
/// printing each problem. `None` when lines are invalid and nothing may be sent (reported).
pub fn prepare<'a>(
    input: &Input,
    contract: &Contract,
    opts: &'a SendOptions,
    printer: &Printer,
) -> anyhow::Result<Option<Prepared<'a>>> {
    let file = input.display();

    let previous = match &opts.checkpoint {
        Some(path) => checkpoint::read(path)?,
        None => None,
    };
    let from_line = match (&previous, opts.resume) {
        (Some(c), false) => bail!(
            "{} records that {file} was sent up to line {}\n  help: pass --resume to continue after it, or delete the checkpoint to send everything again",
            opts.checkpoint
                .as_deref()
                .unwrap_or(Path::new(""))
                .display(),
            c.line
        ),
        (Some(c), true) => c.line,
        (None, true) => {
            printer.note(&format!("No checkpoint for {file}; starting at line 1."));
            0
        }
        (None, false) => 0,
    };

    // A changed input is refused before anything else is said about it.
    if let (Some(c), Some(path), Input::File(input_path)) = (&previous, &opts.checkpoint, input) {
        let hash = lines::hash_file(input_path).with_context(|| format!("cannot read {file}"))?;
        c.check_input(&file, path, &hash)?;
    }
    // Pass 1: validate everything (and keep stdin in a temporary file for pass 2).
    let (scan, source) = validate_all(input, &file, contract, from_line, opts, printer)?;
    if let (Some(c), Some(path)) = (&previous, &opts.checkpoint) {
        c.check_input(&file, path, &scan.hash)?;
    }
    let total = scan.tally.total();
    if total.invalid > 0 && !opts.skip_invalid {
        validate::print_summary(&file, &scan.tally, printer);
        printer.err(&format!(
            "{}: {} of {} event(s) in {file} are invalid; nothing was sent\n  help: fix them, or pass --skip-invalid to send the valid ones and write the others to {}",
            printer.paint_err(Style::Red, "error"),
            total.invalid,
            total.valid + total.invalid,
            opts.rejects.display()
        ));
        return Ok(None);
    }
    if from_line > 0 {
        printer.note(&format!(
            "Resuming {file} after line {from_line}: {} event(s) left to send.",
            scan.pending
        ));
    }
    if !opts.resume && opts.rejects.exists() {
        std::fs::remove_file(&opts.rejects).with_context(|| {
            format!(
                "cannot remove the old rejects file {}",
                opts.rejects.display()
            )
        })?;
    }
    let job = Job {
        file,
        contract: contract.clone(),
        opts,
        hash: scan.hash,
        from_line,
        pending: scan.pending,
    };
    Ok(Some(Prepared { job, source }))
}

impl Prepared<'_> {
    /// Pass 2: sends the events with `client`, recording progress; returns the counts (the
    /// refused events are in the rejects file). An error stops the run resumably.
    pub async fn send(self, client: Client, printer: &Printer) -> anyhow::Result<SendCounts> {
        self.job.send(self.source, client, printer).await
    }
}

/// Where pass 2 reads from: the file again, or the spooled stdin.
enum Source {
    Path(PathBuf),
    Spool(File),
}

impl Source {
    fn open(self) -> io::Result<Box<dyn Read + Send>> {
        Ok(match self {
            Source::Path(p) => Box::new(File::open(p)?),
            Source::Spool(mut f) => {
                f.rewind()?;
                Box::new(f)
            }
        })
    }
}

/// Copies what is read into a file.
struct Tee<R, W> {
    inner: R,
    copy: W,
}

impl<R: Read, W: Write> Read for Tee<R, W> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.copy.write_all(&buf[..n])?;
        Ok(n)
    }
}

fn validate_all(
    input: &Input,
    file: &str,
    contract: &Contract,
    from_line: u64,
    opts: &SendOptions,
    printer: &Printer,
) -> anyhow::Result<(Scan, Source)> {
    let report = !opts.skip_invalid;
    let reader = input
        .open()
        .with_context(|| format!("cannot open {file}"))?;
    match input {
        Input::File(path) => {
            let scan = validate::scan(reader, file, contract, from_line, report, printer)
                .with_context(|| format!("cannot read {file}"))?;
            Ok((scan, Source::Path(path.clone())))
        }
        Input::Stdin => {
            let spool = tempfile::tempfile().context("cannot create a temporary file for stdin")?;
            let mut tee = Tee {
                inner: reader,
                copy: BufWriter::new(spool),
            };
            let scan = validate::scan(&mut tee, file, contract, from_line, report, printer)
                .with_context(|| format!("cannot read {file}"))?;
            let spool = tee
                .copy
                .into_inner()
                .map_err(|e| e.into_error())
                .context("cannot write the temporary copy of stdin")?;
            Ok((scan, Source::Spool(spool)))
        }
    }
}

/// A line for the sender.
enum Item {
    /// A valid event.
    Send {
        line: u64,
        event: Event,
        text: String,
    },
    /// An invalid line (only with `--skip-invalid`).
    Skip {
        line: u64,
        reason: String,
        text: String,
    },
    /// The end of the input: its last line and its hash.
    End { last_line: u64, hash: String },
    /// The input could not be read.
    Failed(io::Error),
}

/// What a finished request says.
struct Done {
    line: u64,
    text: String,
    result: Result<(), ApiError>,
}

struct Job<'a> {
    file: String,
    contract: Contract,
    opts: &'a SendOptions,
    hash: String,
    from_line: u64,
    pending: u64,
}

/// The acknowledged prefix of the input.
#[derive(Debug, Default)]
struct Watermark {
    /// The last line handed to the sender.
    read: u64,
    /// Lines sent and not yet answered.
    in_flight: BTreeSet<u64>,
    /// The first line whose event failed for good.
    failed: Option<u64>,
}

impl Watermark {
    /// Every event on this line or before it was acknowledged.
    fn line(&self) -> u64 {
        let mut line = self.read;
        if let Some(first) = self.in_flight.first() {
            line = line.min(first - 1);
        }
        if let Some(failed) = self.failed {
            line = line.min(failed - 1);
        }
        line
    }
}

/// The rejects file, opened on first use.
struct Rejects {
    path: PathBuf,
    file: Option<BufWriter<File>>,
    written: u64,
}

impl Rejects {
    fn write(&mut self, line: u64, reason: &str, text: &str) -> anyhow::Result<()> {
        if self.file.is_none() {
            let f = std::fs::OpenOptions::new()
                .create(true)
                .append(true)
                .open(&self.path)
                .with_context(|| format!("cannot open the rejects file {}", self.path.display()))?;
            self.file = Some(BufWriter::new(f));
        }
        let record = serde_json::json!({"line": line, "reason": reason, "text": text});
        if let Some(f) = &mut self.file {
            writeln!(f, "{record}")
                .with_context(|| format!("cannot write to {}", self.path.display()))?;
        }
        self.written += 1;
        Ok(())
    }

    /// Makes what was written durable (before a checkpoint claims those lines).
    fn sync(&mut self) -> anyhow::Result<()> {
        if let Some(f) = &mut self.file {
            f.flush()
                .and_then(|()| f.get_ref().sync_data())
                .with_context(|| format!("cannot write to {}", self.path.display()))?;
        }
        Ok(())
    }
}

impl Job<'_> {
    async fn send(
        self,
        source: Source,
        client: Client,
        printer: &Printer,
    ) -> anyhow::Result<SendCounts> {
        let started = Instant::now();
        let (tx, mut rx) = mpsc::channel::<Item>(READ_AHEAD);
        let reader = source
            .open()
            .with_context(|| format!("cannot open {}", self.file))?;
        let contract = self.contract.clone();
        let from_line = self.from_line;
        let skip_invalid = self.opts.skip_invalid;
        std::thread::spawn(move || read_items(reader, &contract, from_line, skip_invalid, &tx));

        let interrupted = Arc::new(AtomicBool::new(false));
        let flag = interrupted.clone();
        tokio::spawn(async move {
            if tokio::signal::ctrl_c().await.is_ok() {
                flag.store(true, Ordering::SeqCst);
            }
        });

        let bar = progress_bar(self.pending, printer);
        let mut counts = SendCounts::default();
        let mut mark = Watermark {
            read: self.from_line,
            ..Watermark::default()
        };
        let mut rejects = Rejects {
            path: self.opts.rejects.clone(),
            file: None,
            written: 0,
        };
        let mut tasks: JoinSet<Done> = JoinSet::new();
        let interval = Duration::from_secs_f64(1.0 / f64::from(self.opts.rate));
        let mut next_slot = Instant::now();
        let mut last_checkpoint = (Instant::now(), self.from_line);
        let mut fatal: Option<anyhow::Error> = None;
        let mut end: Option<(u64, String)> = None;

        while fatal.is_none() && !interrupted.load(Ordering::SeqCst) {
            let Some(item) = rx.recv().await else {
                fatal = Some(anyhow::anyhow!("the reader of {} stopped early", self.file));
                break;
            };
            match item {
                Item::End { last_line, hash } => {
                    mark.read = last_line.max(mark.read);
                    end = Some((last_line, hash));
                    break;
                }
                Item::Failed(e) => {
                    fatal =
                        Some(anyhow::Error::new(e).context(format!("cannot read {}", self.file)));
                    break;
                }
                Item::Skip { line, reason, text } => {
                    rejects.write(line, &reason, &text)?;
                    counts.skipped += 1;
                    mark.read = line;
                }
                Item::Send { line, event, text } => {
                    while tasks.len() >= self.opts.concurrency {
                        if let Some(done) = tasks.join_next().await {
                            let done = done.context("a send task failed")?;
                            fatal = fatal.or(self.finish(
                                done,
                                &mut mark,
                                &mut counts,
                                &mut rejects,
                                bar.as_ref(),
                            )?);
                        }
                    }
                    if fatal.is_some() {
                        break;
                    }
                    let now = Instant::now();
                    if next_slot > now {
                        tokio::time::sleep_until(next_slot).await;
                    }
                    next_slot = next_slot.max(now) + interval;
                    mark.read = line;
                    mark.in_flight.insert(line);
                    let client = client.clone();
                    tasks.spawn(async move {
                        let result = client.submit_event(&event).await;
                        Done { line, text, result }
                    });
                }
            }
            while let Some(done) = tasks.try_join_next() {
                let done = done.context("a send task failed")?;
                fatal = fatal.or(self.finish(
                    done,
                    &mut mark,
                    &mut counts,
                    &mut rejects,
                    bar.as_ref(),
                )?);
            }
            if last_checkpoint.0.elapsed() >= CHECKPOINT_EVERY && mark.line() > last_checkpoint.1 {
                self.save(&mut rejects, mark.line())?;
                last_checkpoint = (Instant::now(), mark.line());
            }
        }
        // Let what is in flight finish, so its answer is recorded.
        while let Some(done) = tasks.join_next().await {
            let done = done.context("a send task failed")?;
            fatal =
                fatal.or(self.finish(done, &mut mark, &mut counts, &mut rejects, bar.as_ref())?);
        }
        drop(rx);
        if let Some(b) = &bar {
            b.finish_and_clear();
        }
        let changed = end.as_ref().is_some_and(|(_, hash)| *hash != self.hash);
        if changed {
            rejects.sync()?;
            bail!(
                "{} changed while it was being sent; the checkpoint was not updated\n  help: do not modify a file while sending it",
                self.file
            );
        }
        self.save(&mut rejects, mark.line())?;
        self.print_summary(&counts, started.elapsed(), printer);
        let resume_help = match &self.opts.checkpoint {
            Some(path) => format!(
                "every event up to line {} was acknowledged ({}); run the same command with --resume to continue",
                mark.line(),
                path.display()
            ),
            None => format!(
                "every event up to line {} of stdin was acknowledged",
                mark.line()
            ),
        };
        if let Some(e) = fatal {
            return Err(e.context(format!("events send stopped: {resume_help}")));
        }
        if interrupted.load(Ordering::SeqCst) {
            bail!("events send was interrupted: {resume_help}");
        }
        Ok(counts)
    }

    /// Records one answer; returns an error that must stop the run.
    fn finish(
        &self,
        done: Done,
        mark: &mut Watermark,
        counts: &mut SendCounts,
        rejects: &mut Rejects,
        bar: Option<&indicatif::ProgressBar>,
    ) -> anyhow::Result<Option<anyhow::Error>> {
        mark.in_flight.remove(&done.line);
        if let Some(b) = bar {
            b.inc(1);
        }
        match done.result {
            Ok(()) => counts.sent += 1,
            Err(e @ (ApiError::UnknownUser(_) | ApiError::Rejected(_))) => {
                let reason = e.to_string();
                let reason = reason.lines().next().unwrap_or_default();
                rejects.write(done.line, reason, &done.text)?;
                counts.refused += 1;
            }
            Err(e) => {
                mark.failed = Some(mark.failed.map_or(done.line, |f| f.min(done.line)));
                return Ok(Some(anyhow::Error::new(e).context(format!(
                    "{}:{}: cannot send the event",
                    self.file, done.line
                ))));
            }
        }
        Ok(None)
    }

    /// Makes the rejects durable, then records the watermark.
    fn save(&self, rejects: &mut Rejects, line: u64) -> anyhow::Result<()> {
        rejects.sync()?;
        if let Some(path) = &self.opts.checkpoint {
            checkpoint::write(
                path,
                &Checkpoint {
                    format_version: checkpoint::FORMAT_VERSION,
                    input_hash: self.hash.clone(),
                    line,
                },
            )?;
        }
        Ok(())
    }

    fn print_summary(&self, counts: &SendCounts, elapsed: Duration, printer: &Printer) {
        let secs = elapsed.as_secs_f64();
        let per_sec = if secs > 0.0 {
            counts.sent as f64 / secs
        } else {
            0.0
        };
        printer.note(&format!(
            "{}: sent {} event(s) in {secs:.1}s ({per_sec:.0}/s, --rate {}); {} refused by Intercom, {} invalid skipped.",
            self.file, counts.sent, self.opts.rate, counts.refused, counts.skipped
        ));
        if counts.refused + counts.skipped > 0 {
            printer.note(&format!(
                "Refused and skipped lines are in {}.",
                self.opts.rejects.display()
            ));
        }
    }
}

/// Reads and checks pass 2's lines after `from_line`, feeding the sender.
fn read_items(
    reader: Box<dyn Read + Send>,
    contract: &Contract,
    from_line: u64,
    skip_invalid: bool,
    tx: &mpsc::Sender<Item>,
) {
    let mut lines = Lines::new(reader, MAX_LINE_BYTES);
    let mut last_line = 0;
    loop {
        let (number, line) = match lines.next_line() {
            Ok(Some(l)) => l,
            Ok(None) => break,
            Err(e) => {
                let _ = tx.blocking_send(Item::Failed(e));
                return;
            }
        };
        last_line = number;
        if number <= from_line {
            continue;
        }
        let text = match &line {
            Line::Text(t) => t.to_string(),
            _ => String::new(),
        };
        let Some(checked) = validate::check_line(contract, line) else {
            continue;
        };
        let item = match checked.outcome {
            Ok(event) => Item::Send {
                line: number,
                event,
                text,
            },
            // Pass 1 stopped the run unless invalid lines are to be skipped.
            Err(problems) if skip_invalid => Item::Skip {
                line: number,
                reason: problems.join("; "),
                text,
            },
            Err(problems) => Item::Failed(io::Error::other(format!(
                "line {number} became invalid while sending: {}",
                problems.join("; ")
            ))),
        };
        if tx.blocking_send(item).is_err() {
            return;
        }
    }
    let item = match lines.finish() {
        Ok(hash) => Item::End { last_line, hash },
        Err(e) => Item::Failed(e),
    };
    let _ = tx.blocking_send(item);
}

fn progress_bar(len: u64, printer: &Printer) -> Option<indicatif::ProgressBar> {
    if printer.is_quiet() || !io::stderr().is_terminal() {
        return None;
    }
    let bar = indicatif::ProgressBar::new(len);
    if let Ok(style) =
        indicatif::ProgressStyle::with_template("{bar:40} {pos}/{len} events  {rate}  ETA {eta}")
    {
        bar.set_style(style.with_key(
            "rate",
            |state: &indicatif::ProgressState, w: &mut dyn std::fmt::Write| {
                let _ = write!(w, "{:.0}/s", state.per_sec());
            },
        ));
    }
    Some(bar)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn watermark_waits_for_the_oldest_unanswered_line() {
        let mut mark = Watermark {
            read: 10,
            ..Watermark::default()
        };
        assert_eq!(mark.line(), 10);
        mark.in_flight.extend([7, 9]);
        assert_eq!(mark.line(), 6);
        mark.in_flight.remove(&7);
        assert_eq!(mark.line(), 8);
        mark.failed = Some(5);
        assert_eq!(mark.line(), 4);
    }
}
