//! `corridor config example`: print a commented settings file.

#[derive(Debug, clap::Subcommand)]
pub enum ConfigCommand {
    /// Print a corridor.toml with every setting and its default.
    Example,
}

pub fn run(cmd: &ConfigCommand) -> anyhow::Result<()> {
    match cmd {
        ConfigCommand::Example => print!("{}", crate::config::Settings::example_toml()),
    }
    Ok(())
}
