using BoundaryGuard.Graph;
using BoundaryGuard.Service.Auth;
using BoundaryGuard.Service.Holds;
using BoundaryGuard.Service.Policies;
using BoundaryGuard.Service.Scheduling;

var builder = WebApplication.CreateBuilder(args);

builder.Services.AddSingleton(TimeProvider.System);
builder.Services.AddBoundaryPolicies();
builder.Services.AddGraphMailbox();
builder.AddHoldScheduling();
builder.Services.AddHolds();
builder.Services.AddServiceAuth();
builder.Services.AddOpenApi();

var app = builder.Build();

app.UseExceptionHandler();
app.UseStatusCodePages();
app.UseAuthentication();
app.UseAuthorization();
app.MapOpenApi();
app.MapHoldsApi();

app.Run();

// Visible to WebApplicationFactory<Program> in the tests.
public partial class Program;
