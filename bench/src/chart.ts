/** A small SVG line chart: p99 latency (log scale) against offered deliveries/s, one line per server. */
export function p99Chart(series: Array<{ name: string; points: Array<[number, number]> }>, title: string): string {
  const width = 720;
  const height = 400;
  const pad = { left: 70, right: 130, top: 40, bottom: 50 };
  const xs = series.flatMap((s) => s.points.map(([x]) => x));
  const ys = series.flatMap((s) => s.points.map(([, y]) => Math.max(y, 0.1)));
  const [xMin, xMax] = [Math.min(...xs), Math.max(...xs)];
  const [yMin, yMax] = [Math.max(0.5, Math.min(...ys)), Math.max(100, ...ys)];
  const lx = (x: number) =>
    pad.left + ((Math.log(x) - Math.log(xMin)) / (Math.log(xMax) - Math.log(xMin) || 1)) * (width - pad.left - pad.right);
  const ly = (y: number) =>
    height -
    pad.bottom -
    ((Math.log(Math.max(y, yMin)) - Math.log(yMin)) / (Math.log(yMax) - Math.log(yMin))) * (height - pad.top - pad.bottom);
  const colors = ['#6b7280', '#2563eb', '#d97706', '#dc2626', '#059669'];
  const lines = series.map((s, i) => {
    const d = s.points.map(([x, y], j) => `${j ? 'L' : 'M'}${lx(x).toFixed(1)},${ly(y).toFixed(1)}`).join(' ');
    const dots = s.points
      .map(([x, y]) => `<circle cx="${lx(x).toFixed(1)}" cy="${ly(y).toFixed(1)}" r="3" fill="${colors[i % colors.length]}"/>`)
      .join('');
    const legendY = pad.top + 20 * i;
    return `<path d="${d}" fill="none" stroke="${colors[i % colors.length]}" stroke-width="2"/>${dots}
<text x="${width - pad.right + 14}" y="${legendY + 4}" font-size="13" fill="${colors[i % colors.length]}">${s.name}</text>`;
  });
  const yTicks = [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000].filter((t) => t >= yMin && t <= yMax);
  const xTicks = [5e3, 1e4, 2e4, 5e4, 1e5, 2e5, 5e5, 1e6].filter((t) => t >= xMin && t <= xMax);
  const limit = ly(50);
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" font-family="system-ui, sans-serif">
<rect width="100%" height="100%" fill="white"/>
<text x="${pad.left}" y="24" font-size="15" font-weight="600">${title}</text>
${yTicks.map((t) => `<line x1="${pad.left}" x2="${width - pad.right}" y1="${ly(t)}" y2="${ly(t)}" stroke="#eee"/><text x="${pad.left - 8}" y="${ly(t) + 4}" font-size="11" text-anchor="end">${t} ms</text>`).join('\n')}
${xTicks.map((t) => `<text x="${lx(t)}" y="${height - pad.bottom + 18}" font-size="11" text-anchor="middle">${t >= 1e6 ? `${t / 1e6}M` : `${t / 1e3}k`}</text>`).join('\n')}
<line x1="${pad.left}" x2="${width - pad.right}" y1="${limit}" y2="${limit}" stroke="#dc2626" stroke-dasharray="4 4"/>
<text x="${width - pad.right - 4}" y="${limit - 6}" font-size="11" fill="#dc2626" text-anchor="end">p99 limit 50 ms</text>
<text x="${(width - pad.right + pad.left) / 2}" y="${height - 12}" font-size="12" text-anchor="middle">offered deliveries per second (log)</text>
${lines.join('\n')}
</svg>
`;
}
