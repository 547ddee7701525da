using ScottPlot;

namespace ConvEmbed.Cli.Map;

/// <summary>The map as a PNG (ScottPlot): one colour per label (the 20 most common; the rest grey), with a legend.</summary>
public static class MapPng
{
    public const int MaxColouredLabels = 20;

    public static void Write(LabelledMap map, string path, int width = 1600, int height = 1200)
    {
        var plot = new Plot();
        IPalette palette = map.LabelsByCount().Count <= 10 ? new ScottPlot.Palettes.Category10() : new ScottPlot.Palettes.Category20();
        var labels = map.LabelsByCount();
        var markerSize = map.Points.Count > 20_000 ? 2 : map.Points.Count > 2_000 ? 3 : 5;
        for (var c = 0; c < labels.Count; c++)
        {
            var coloured = c < MaxColouredLabels && labels[c].Label != LabelledMap.Unlabelled;
            var members = Enumerable.Range(0, map.Points.Count).Where(i => map.Labels[i] == labels[c].Label).ToList();
            var scatter = plot.Add.ScatterPoints(members.Select(i => (double)map.Points[i].X).ToArray(),
                members.Select(i => (double)map.Points[i].Y).ToArray(), coloured ? palette.GetColor(c) : Colors.Gray.WithAlpha(0.6));
            scatter.MarkerSize = markerSize;
            if (c < MaxColouredLabels) scatter.LegendText = $"{labels[c].Label} ({labels[c].Count})";
            else if (c == MaxColouredLabels) scatter.LegendText = $"{labels.Count - MaxColouredLabels} other labels";
        }
        plot.Title(map.Title);
        plot.Axes.Frameless();
        plot.HideGrid();
        if (labels.Count > 1 || labels[0].Label != LabelledMap.Unlabelled) plot.ShowLegend(Edge.Right);
        plot.SavePng(path, width, height);
    }
}
