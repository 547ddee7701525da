namespace ConvEmbed.Torch.Tests.Autograd;

/// <summary>Compares autograd's gradient with central finite differences, in float64 so the check is tight.</summary>
internal static class GradCheck
{
    public static void Check(double[] input, long[] shape, Func<Tensor, Tensor> scalarFunction, double tol = 1e-6)
    {
        using var scope = DisposeScope.Enter();
        var x = Torch.tensor<double>(input, shape).requires_grad_();
        scalarFunction(x).Backward();
        var analytic = x.Grad!.data<double>();
        const double h = 1e-6;
        for (var i = 0; i < input.Length; i++)
        {
            double Eval(double delta)
            {
                using var s = DisposeScope.Enter();
                using var ng = new NoGradScope();
                var copy = (double[])input.Clone();
                copy[i] += delta;
                return scalarFunction(Torch.tensor<double>(copy, shape)).item();
            }
            var numeric = (Eval(h) - Eval(-h)) / (2 * h);
            Assert.True(Math.Abs(numeric - analytic[i]) <= tol * (1 + Math.Abs(numeric)),
                $"d/dx[{i}]: finite difference {numeric}, autograd {analytic[i]}");
        }
    }
}
