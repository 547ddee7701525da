using ConvEmbed.Model.Objectives;
using static ConvEmbed.Model.Tests.Objectives.Hand;

namespace ConvEmbed.Model.Tests.Objectives;

public sealed class DinoLossTests
{
    [Fact]
    public void LossEqualsTheFormulaAndTheCentreMovesTowardsTheTeacherMean()
    {
        const int b = 2, k = 3, globals = 2, views = 3;
        var teacher = Values(globals * b * k, 7, scale: 0.5);
        var student = Values(views * b * k, 8, scale: 0.5);
        using var scope = ConvEmbed.Torch.Torch.NewDisposeScope();
        var loss = new DinoLoss(k);

        var value = loss.Compute(T(teacher, globals * b, k), T(student, views * b, k), globals, b, teacherTemperature: 0.04).item();

        double[] Row(float[] a, int r, double scale) => Enumerable.Range(0, k).Select(j => a[r * k + j] / scale).ToArray();
        double expected = 0;
        var terms = 0;
        for (var i = 0; i < globals; i++)
            for (var v = 0; v < views; v++)
            {
                if (v == i) continue;
                for (var s = 0; s < b; s++)
                {
                    var p = LogSoftmax(Row(teacher, i * b + s, 0.04)).Select(Math.Exp).ToArray(); // centre is still 0
                    var logq = LogSoftmax(Row(student, v * b + s, 0.1));
                    expected -= Dot(p, logq) / b;
                }
                terms++;
            }
        Assert.Equal(expected / terms, value, 4);

        loss.UpdateCenter(T(teacher, globals * b, k));
        var centre = loss.Center.data<float>();
        for (var j = 0; j < k; j++)
            Assert.Equal(0.1 * Enumerable.Range(0, globals * b).Average(r => teacher[r * k + j]), centre[j], 5);
    }
}
