// The engine benchmark's native side: the encoder's training step written directly against libtorch's C++ API, so
// C# can time ConvEmbed.Torch against it in one interleaved run. The layers come from C# (EncoderConfig), so the
// encoder is defined once; this file only turns that list into torch::nn modules.
#include <torch/torch.h>
#include <chrono>
#include <string>

#define BENCH_API extern "C" __attribute__((visibility("default")))

namespace {
thread_local std::string g_error;

struct EncoderBench {
  torch::nn::Sequential net;
  std::unique_ptr<torch::optim::AdamW> opt;
  torch::Tensor x;
};

// layers: n rows of (in, out, kernel, stride, dilation, norm_and_activation); "same" padding dilation·(k−1)/2.
torch::nn::Sequential build_encoder(int n, const int64_t* layers) {
  torch::nn::Sequential net;
  for (int i = 0; i < n; i++) {
    const int64_t* l = layers + 6 * i;
    auto options = torch::nn::Conv1dOptions(l[0], l[1], l[2]).stride(l[3]).dilation(l[4]).padding(l[4] * (l[2] - 1) / 2);
    net->push_back(torch::nn::Conv1d(options));
    if (l[5] != 0) {
      net->push_back(torch::nn::BatchNorm1d(l[1]));
      net->push_back(torch::nn::GELU());
    }
  }
  return net;
}
}  // namespace

BENCH_API const char* ce_bench_last_error() { return g_error.c_str(); }

BENCH_API void* ce_bench_encoder_create(int64_t batch, int64_t frames, int n_layers, const int64_t* layers, int64_t seed) {
  try {
    torch::manual_seed(seed);
    auto b = new EncoderBench();
    b->net = build_encoder(n_layers, layers);
    b->net->train();
    // Same parameter groups as the C# AdamW: decay on conv weights only, none on norms and biases.
    std::vector<torch::Tensor> decay, no_decay;
    for (auto& kv : b->net->named_parameters())
      (kv.key().find("weight") != std::string::npos && kv.value().dim() > 1 ? decay : no_decay).push_back(kv.value());
    std::vector<torch::optim::OptimizerParamGroup> groups;
    groups.emplace_back(decay, std::make_unique<torch::optim::AdamWOptions>(torch::optim::AdamWOptions(1e-3).weight_decay(0.04)));
    groups.emplace_back(no_decay, std::make_unique<torch::optim::AdamWOptions>(torch::optim::AdamWOptions(1e-3).weight_decay(0.0)));
    b->opt = std::make_unique<torch::optim::AdamW>(std::move(groups), torch::optim::AdamWOptions(1e-3));
    b->x = torch::randn({batch, layers[0], frames});
    return b;
  } catch (const std::exception& e) {
    g_error = e.what();
    return nullptr;
  }
}

// One training step (zero grads, forward, MSE-to-zero loss, backward, AdamW); returns milliseconds, -1 on error.
BENCH_API double ce_bench_encoder_step(void* handle, double* loss_out) {
  try {
    auto b = static_cast<EncoderBench*>(handle);
    auto t0 = std::chrono::steady_clock::now();
    b->opt->zero_grad();
    auto loss = b->net->forward(b->x).square().mean();
    loss.backward();
    b->opt->step();
    *loss_out = loss.item<double>();
    auto t1 = std::chrono::steady_clock::now();
    return std::chrono::duration<double, std::milli>(t1 - t0).count();
  } catch (const std::exception& e) {
    g_error = e.what();
    return -1.0;
  }
}

BENCH_API void ce_bench_encoder_free(void* handle) { delete static_cast<EncoderBench*>(handle); }
