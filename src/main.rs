fn main() {
    std::process::exit(hagen::app::main());
}
