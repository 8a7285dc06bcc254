using BoundaryGuard.Service.Health;
using BoundaryGuard.Service.Hosting;
using BoundaryGuard.Service.Policies;
using BoundaryGuard.Service.Scheduling;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceClock();
builder.AddGraphGateway();
builder.Services.AddBoundaryPolicies();
builder.AddHoldScheduling();
builder.Services.AddServiceHealth();
builder.Services.AddStartupBanner();

var app = builder.Build();
app.MapServiceHealth();
app.Run();

// Visible to WebApplicationFactory<Program> in the tests.
public partial class Program;
