use std::process::ExitCode;

fn main() -> ExitCode {
    bloei::cli::main()
}
