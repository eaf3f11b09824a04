pub fn run_model_test() {}
