using BoundaryGuard.Service.Hosting;
using BoundaryGuard.Service.Policies;
using BoundaryGuard.Service.Scheduling;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceClock();
builder.Services.AddBoundaryPolicies();
builder.AddHoldScheduling();

var app = builder.Build();
app.Run();

// Visible to WebApplicationFactory<Program> in the tests.
public partial class Program;
