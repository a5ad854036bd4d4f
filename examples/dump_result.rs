fn main() {
    let p = std::env::args().nth(1).unwrap_or_default();
    let (_, rs) =
        recette::import::results::read_all(std::path::Path::new(&p), None, &Default::default())
            .unwrap_or_else(|e| panic!("{e}"));
    for r in rs {
        println!("{:?}\n", r);
    }
}
