// Shape-only kernels for libtorch's `meta` device, which the tests use to prove device placement without a GPU.
// libtorch 1.13's C++ library has no meta kernel for convolutions or batch norm (PyTorch registers those in Python
// only): on meta, at::convolution falls through to convolution_overrideable and batch norm reaches native_batch_norm,
// which are registered here for the Meta key only, with the two reductions the objectives use that lack one too. They compute nothing but output shapes (after checking that every
// tensor is on one device), so they change no result on the CPU or on CUDA.
#include <torch/library.h>
#include <torch/version.h>

#include "shim.h"

namespace {
at::Tensor meta_convolution(const at::Tensor& input, const at::Tensor& weight, const c10::optional<at::Tensor>& bias,
                            at::IntArrayRef stride, at::IntArrayRef padding, at::IntArrayRef dilation, bool transposed,
                            at::IntArrayRef output_padding, int64_t groups) {
  (void)bias;
  TORCH_CHECK(input.device() == weight.device(), "expected all tensors to be on the same device, but found ",
              input.device(), " and ", weight.device());
  TORCH_CHECK(!transposed, "the meta convolution covers non-transposed convolutions only");
  TORCH_CHECK(input.dim() >= 3 && input.dim() == weight.dim(), "meta convolution: input and weight need N, C and spatial dims");
  TORCH_CHECK(input.size(1) == weight.size(1) * groups, "meta convolution: ", input.size(1), " input channels for a weight of ",
              weight.size(1), " x ", groups, " groups");
  std::vector<int64_t> shape{input.size(0), weight.size(0)};
  for (int64_t d = 2; d < input.dim(); d++) {
    auto i = static_cast<size_t>(d - 2);
    auto at = [&](at::IntArrayRef values) { return values.size() == 1 ? values[0] : values[i]; };
    shape.push_back((input.size(d) + 2 * at(padding) - at(dilation) * (weight.size(d) - 1) - 1) / at(stride) + 1);
  }
  (void)output_padding;
  return at::empty(shape, input.options());
}

void same_device(const at::Tensor& input, const c10::optional<at::Tensor>& other, const char* name) {
  if (other && other->defined())
    TORCH_CHECK(other->device() == input.device(), "expected all tensors to be on the same device, but found ",
                input.device(), " and ", other->device(), " (", name, ")");
}

std::tuple<at::Tensor, at::Tensor, at::Tensor> meta_batch_norm(const at::Tensor& input, const c10::optional<at::Tensor>& weight,
                                                               const c10::optional<at::Tensor>& bias,
                                                               const c10::optional<at::Tensor>& running_mean,
                                                               const c10::optional<at::Tensor>& running_var, bool training,
                                                               double momentum, double eps) {
  (void)momentum;
  (void)eps;
  same_device(input, weight, "weight");
  same_device(input, bias, "bias");
  same_device(input, running_mean, "running_mean");
  same_device(input, running_var, "running_var");
  auto stats = training ? at::empty({input.size(1)}, input.options()) : at::empty({0}, input.options());
  return {at::empty_like(input), stats, stats.clone()};
}

// The largest element (DINO-free's Sinkhorn-Knopp step subtracts it): a 0-d result.
at::Tensor meta_max(const at::Tensor& self) { return at::empty({}, self.options()); }

// Element-wise (VICReg's hinge): the input's shape.
at::Tensor meta_relu(const at::Tensor& self) { return at::empty_like(self); }

// Variance over dims (VICReg's hinge): the reduced shape. The correction became a Scalar in libtorch 2.
#if TORCH_VERSION_MAJOR < 2
using Correction = c10::optional<int64_t>;
#else
using Correction = const c10::optional<at::Scalar>&;
#endif
at::Tensor meta_var(const at::Tensor& self, at::OptionalIntArrayRef dim, Correction correction, bool keepdim) {
  (void)correction;
  std::vector<bool> reduced(static_cast<size_t>(self.dim()), !dim.has_value() || dim->empty());
  if (dim.has_value())
    for (auto d : *dim) reduced[static_cast<size_t>(at::maybe_wrap_dim(d, self.dim()))] = true;
  std::vector<int64_t> shape;
  for (int64_t d = 0; d < self.dim(); d++)
    if (!reduced[static_cast<size_t>(d)]) shape.push_back(self.size(d));
    else if (keepdim) shape.push_back(1);
  return at::empty(shape, self.options());
}
}  // namespace

TORCH_LIBRARY_IMPL(aten, Meta, m) {
  m.impl("convolution_overrideable", meta_convolution);
  m.impl("native_batch_norm", meta_batch_norm);
  m.impl("max", meta_max);
  m.impl("relu", meta_relu);
  m.impl("var.correction", meta_var);
}
