using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace AlignmentHub.Migrations.Sqlite.Migrations
{
    /// <inheritdoc />
    public partial class SoftDeleteObjectivesAndItems : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<long>(
                name: "DeletedAt",
                table: "RoadmapItems",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "DeletedById",
                table: "RoadmapItems",
                type: "TEXT",
                maxLength: 450,
                nullable: true);

            migrationBuilder.AddColumn<long>(
                name: "DeletedAt",
                table: "Objectives",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "DeletedById",
                table: "Objectives",
                type: "TEXT",
                maxLength: 450,
                nullable: true);

            migrationBuilder.CreateIndex(
                name: "IX_RoadmapItems_DeletedAt",
                table: "RoadmapItems",
                column: "DeletedAt");

            migrationBuilder.CreateIndex(
                name: "IX_Objectives_DeletedAt",
                table: "Objectives",
                column: "DeletedAt");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_RoadmapItems_DeletedAt",
                table: "RoadmapItems");

            migrationBuilder.DropIndex(
                name: "IX_Objectives_DeletedAt",
                table: "Objectives");

            migrationBuilder.DropColumn(
                name: "DeletedAt",
                table: "RoadmapItems");

            migrationBuilder.DropColumn(
                name: "DeletedById",
                table: "RoadmapItems");

            migrationBuilder.DropColumn(
                name: "DeletedAt",
                table: "Objectives");

            migrationBuilder.DropColumn(
                name: "DeletedById",
                table: "Objectives");
        }
    }
}
