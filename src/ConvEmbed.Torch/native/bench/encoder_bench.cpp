// The engine benchmark's native side: the reference encoder's training step written directly
// against libtorch's C++ API, so C# can time the binding against it in one interleaved run.
#include <torch/torch.h>
#include <chrono>
#include "shim.h"

namespace {
struct EncoderBench {
  torch::nn::Sequential net;
  std::unique_ptr<torch::optim::AdamW> opt;
  torch::Tensor x;
};

// conv(64→C,k3) BN GELU; four conv(C→C,k3,stride s) BN GELU; conv(C→C,k1) — DESIGN.md §1.
torch::nn::Sequential build_encoder(int64_t mel, int64_t c) {
  torch::nn::Sequential net;
  auto block = [&](int64_t in, int64_t stride) {
    net->push_back(torch::nn::Conv1d(torch::nn::Conv1dOptions(in, c, 3).stride(stride).padding(1)));
    net->push_back(torch::nn::BatchNorm1d(c));
    net->push_back(torch::nn::GELU());
  };
  block(mel, 1);
  for (int64_t s : {2, 1, 2, 1}) block(c, s);
  net->push_back(torch::nn::Conv1d(torch::nn::Conv1dOptions(c, c, 1)));
  return net;
}
}  // namespace

CE_API void* ce_bench_encoder_create(int64_t batch, int64_t mel, int64_t frames, int64_t channels, int64_t seed) {
  CE_TRY
  torch::manual_seed(seed);
  auto b = new EncoderBench();
  b->net = build_encoder(mel, channels);
  b->net->train();
  // Same parameter groups as the C# AdamW: decay on conv weights only, none on norms and biases.
  std::vector<torch::Tensor> decay, no_decay;
  for (auto& kv : b->net->named_parameters())
    (kv.key().find("weight") != std::string::npos && kv.value().dim() > 1 ? decay : no_decay).push_back(kv.value());
  std::vector<torch::optim::OptimizerParamGroup> groups;
  groups.emplace_back(decay, std::make_unique<torch::optim::AdamWOptions>(
                                 torch::optim::AdamWOptions(1e-3).weight_decay(0.04)));
  groups.emplace_back(no_decay, std::make_unique<torch::optim::AdamWOptions>(
                                    torch::optim::AdamWOptions(1e-3).weight_decay(0.0)));
  b->opt = std::make_unique<torch::optim::AdamW>(std::move(groups), torch::optim::AdamWOptions(1e-3));
  b->x = torch::randn({batch, mel, frames});
  return b;
  CE_CATCH(nullptr)
}

// One training step (zero grads, forward, MSE-to-zero loss, backward, AdamW); returns milliseconds, -1 on error.
CE_API double ce_bench_encoder_step(void* handle, double* loss_out) {
  CE_TRY
  auto b = static_cast<EncoderBench*>(handle);
  auto t0 = std::chrono::steady_clock::now();
  b->opt->zero_grad();
  auto loss = b->net->forward(b->x).square().mean();
  loss.backward();
  b->opt->step();
  *loss_out = loss.item<double>();
  auto t1 = std::chrono::steady_clock::now();
  return std::chrono::duration<double, std::milli>(t1 - t0).count();
  CE_CATCH(-1.0)
}

CE_API void ce_bench_encoder_free(void* handle) { delete static_cast<EncoderBench*>(handle); }
