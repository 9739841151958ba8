//! Temporary stand-in for `intercom-iac sandbox serve` until the CLI wiring lands on main.
//!
//! Usage: `cargo run --example sandbox_serve -- [--addr 127.0.0.1:0] [--state FILE]
//! [--token T] [--latency-ms N] [--fault-rate F] [--fault-seed N] [--rate-limit N]
//! [--rate-window-secs N] [--seed default|large|empty]`

use std::net::SocketAddr;
use std::time::Duration;

use anyhow::{Context, bail};
use intercom_iac::sandbox::{SandboxOptions, serve};

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let mut opts = SandboxOptions::default();
    let mut addr: SocketAddr = "127.0.0.1:8080".parse()?;
    let mut args = std::env::args().skip(1);
    while let Some(flag) = args.next() {
        let value = args
            .next()
            .with_context(|| format!("{flag} needs a value"))?;
        match flag.as_str() {
            "--addr" => addr = value.parse().context("--addr")?,
            "--state" => opts.state_file = Some(value.into()),
            "--token" => opts.token = Some(value),
            "--latency-ms" => opts.latency = Duration::from_millis(value.parse()?),
            "--fault-rate" => opts.fault_rate = value.parse()?,
            "--fault-seed" => opts.fault_seed = value.parse()?,
            "--rate-limit" => opts.rate_limit = Some(value.parse()?),
            "--rate-window-secs" => opts.rate_window = Duration::from_secs(value.parse()?),
            "--seed" => opts.seed = value.parse()?,
            other => bail!("unknown flag {other}"),
        }
    }
    serve(addr, opts).await?;
    Ok(())
}
