fn main() {
    println!("louzu");
}
