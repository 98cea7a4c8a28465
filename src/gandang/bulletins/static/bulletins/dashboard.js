/* Draws the dashboard's charts from the JSON embedded by json_script (#dashboard-data).
 * No inline script or style: the page runs under script-src 'self' without 'unsafe-inline'.
 * Tooltips use ECharts' richText mode, which draws on the canvas instead of inserting styled HTML.
 * Clicking a segment opens the ledger list filtered to that segment (the URL comes from the server). */
(function () {
  "use strict";

  var source = document.getElementById("dashboard-data");
  if (!source || typeof window.echarts === "undefined") return;
  var data = JSON.parse(source.textContent);
  var charts = {};

  var tooltip = { renderMode: "richText", confine: true };

  function stackedSeries(block, type, extra) {
    return block.series.map(function (s) {
      var series = {
        name: s.name,
        type: type,
        stack: "all",
        data: s.data,
        itemStyle: { color: s.color },
        emphasis: { focus: "series" },
        cursor: "pointer"
      };
      if (s.color && type === "line") series.lineStyle = { color: s.color };
      return Object.assign(series, extra || {});
    });
  }

  function legendOf(block) {
    return { top: 0, data: block.series.map(function (s) { return s.name; }) };
  }

  var builders = {
    status: function (block) {
      return {
        // The share comes from the server, rounded half-up like the bulletin (ECharts' {d} is not).
        tooltip: Object.assign({ trigger: "item", formatter: function (p) {
          return p.name + "：" + p.value + "（" + p.data.share + "）";
        } }, tooltip),
        legend: { bottom: 0 },
        series: [{
          type: "pie",
          radius: ["45%", "72%"],
          center: ["50%", "45%"],
          avoidLabelOverlap: true,
          label: { formatter: "{b}\n{c}" },
          data: block.data.map(function (d) {
            return { name: d.name, value: d.value, share: d.share, itemStyle: { color: d.color } };
          })
        }]
      };
    },
    area: function (block) { return bars(block, false); },
    leader: function (block) { return bars(block, false); },
    unit: function (block) { return bars(block, true); },
    trend: function (block) {
      return {
        tooltip: Object.assign({ trigger: "axis" }, tooltip),
        legend: legendOf(block),
        grid: { left: 40, right: 20, top: 40, bottom: 30 },
        xAxis: { type: "category", boundaryGap: false, data: block.categories },
        yAxis: { type: "value", minInterval: 1 },
        series: stackedSeries(block, "line", { areaStyle: {}, symbolSize: 6 })
      };
    },
    timeliness: function (block) {
      return {
        tooltip: Object.assign({ trigger: "axis" }, tooltip),
        legend: legendOf(block),
        grid: { left: 40, right: 20, top: 40, bottom: 30 },
        xAxis: { type: "category", data: block.categories },
        yAxis: { type: "value", minInterval: 1 },
        series: block.series.map(function (s) {
          return { name: s.name, type: "bar", data: s.data, itemStyle: { color: s.color }, cursor: "pointer" };
        })
      };
    }
  };

  function bars(block, horizontal) {
    var category = { type: "category", data: block.categories, axisLabel: { interval: 0 } };
    var value = { type: "value", minInterval: 1 };
    if (horizontal) category.inverse = true;
    else category.axisLabel.rotate = block.categories.length > 6 ? 30 : 0;
    return {
      tooltip: Object.assign({ trigger: "axis", axisPointer: { type: "shadow" } }, tooltip),
      legend: legendOf(block),
      grid: { left: horizontal ? 150 : 50, right: 20, top: 40, bottom: horizontal ? 20 : 70, containLabel: false },
      xAxis: horizontal ? value : category,
      yAxis: horizontal ? category : value,
      series: stackedSeries(block, "bar", { barMaxWidth: 40 })
    };
  }

  function urlOf(name, block, params) {
    if (name === "status") {
      var d = block.data[params.dataIndex];
      return d && d.url;
    }
    var s = block.series[params.seriesIndex];
    return s && s.urls && s.urls[params.dataIndex];
  }

  document.querySelectorAll("[data-chart]").forEach(function (el) {
    var name = el.getAttribute("data-chart");
    var block = data[name];
    if (!block || !builders[name]) return;
    var chart = window.echarts.init(el, null, { renderer: "canvas" });
    chart.setOption(builders[name](block));
    chart.on("click", function (params) {
      var url = urlOf(name, block, params);
      if (url) window.location.assign(url);
    });
    charts[name] = chart;
  });

  window.addEventListener("resize", function () {
    Object.keys(charts).forEach(function (k) { charts[k].resize(); });
  });
  // For tests and the console: the chart instances by name.
  window.gandangCharts = charts;
})();
