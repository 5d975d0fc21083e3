"""The training app's schema as migrations 0001-0003 left it, in one migration (squashed).

Written out from the final model state after `squashmigrations training 0003` (Django's "Squashing
migrations"). `replaces` names the three old migrations: a database that applied all three records
this one as applied; a new database runs only this. None of the three moved data.
"""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    replaces = [
        ("training", "0001_initial"),
        ("training", "0002_sweep_idempotency_key"),
        ("training", "0003_benchmark_targets_optional"),
    ]

    initial = True

    dependencies = [
        ('community', '0001_squashed_0014_import_provenance'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='Benchmark',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('slug', models.SlugField(max_length=80, unique=True)),
                ('name', models.CharField(max_length=200, verbose_name='name')),
                ('description', models.TextField(verbose_name='description and protocol')),
                ('config', models.JSONField(help_text='network, dataset, model and train sections', verbose_name='run config')),
                ('targets', models.JSONField(blank=True, default=list, verbose_name='targets')),
                ('higher_is_better', models.BooleanField(default=True)),
                ('time_limit_s', models.PositiveIntegerField(default=1800, help_text='soft limit; the hard limit is a minute more', verbose_name='time limit per run (s)')),
                ('created_at', models.DateTimeField(auto_now_add=True)),
                ('updated_at', models.DateTimeField(auto_now=True)),
                ('paper', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='benchmarks', to='community.paper')),
            ],
            options={
                'ordering': ['slug'],
            },
        ),
        migrations.CreateModel(
            name='Sweep',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('seeds', models.JSONField(verbose_name='seeds')),
                ('device', models.CharField(choices=[('auto', 'auto (GPU when the deployment has GPU workers)'), ('cpu', 'CPU'), ('cuda', 'GPU (CUDA)')], default='auto', max_length=8, verbose_name='device')),
                ('queue', models.CharField(max_length=16, verbose_name='queue')),
                ('state', models.CharField(choices=[('queued', 'Queued'), ('running', 'Running'), ('succeeded', 'Succeeded'), ('failed', 'Failed'), ('cancelled', 'Cancelled')], db_index=True, default='queued', max_length=16)),
                ('summary', models.JSONField(blank=True, default=dict)),
                ('published', models.BooleanField(db_index=True, default=False)),
                ('published_at', models.DateTimeField(blank=True, null=True)),
                ('created_at', models.DateTimeField(auto_now_add=True)),
                ('finished_at', models.DateTimeField(blank=True, null=True)),
                ('idempotency_key', models.CharField(blank=True, editable=False, max_length=255, null=True)),
                ('benchmark', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='sweeps', to='training.benchmark')),
                ('created_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'ordering': ['-created_at', '-id'],
            },
        ),
        migrations.CreateModel(
            name='TrainingRun',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('seed', models.PositiveIntegerField()),
                ('config', models.JSONField(verbose_name='validated run config')),
                ('device', models.CharField(choices=[('auto', 'auto (GPU when the deployment has GPU workers)'), ('cpu', 'CPU'), ('cuda', 'GPU (CUDA)')], default='auto', max_length=8)),
                ('state', models.CharField(choices=[('queued', 'Queued'), ('running', 'Running'), ('succeeded', 'Succeeded'), ('failed', 'Failed'), ('cancelled', 'Cancelled')], db_index=True, default='queued', max_length=16)),
                ('attempt', models.PositiveSmallIntegerField(default=0)),
                ('worker', models.CharField(blank=True, max_length=200)),
                ('heartbeat_at', models.DateTimeField(blank=True, null=True)),
                ('cancel_requested', models.BooleanField(default=False)),
                ('step', models.PositiveIntegerField(default=0)),
                ('total_steps', models.PositiveIntegerField(default=0)),
                ('final_metrics', models.JSONField(blank=True, default=dict)),
                ('environment', models.JSONField(blank=True, default=dict)),
                ('timings', models.JSONField(blank=True, default=dict)),
                ('n_params', models.PositiveIntegerField(blank=True, null=True)),
                ('weights', models.BinaryField(blank=True, null=True)),
                ('error', models.TextField(blank=True)),
                ('published', models.BooleanField(default=False)),
                ('queued_at', models.DateTimeField(auto_now_add=True)),
                ('started_at', models.DateTimeField(blank=True, null=True)),
                ('finished_at', models.DateTimeField(blank=True, null=True)),
                ('created_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('sweep', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='runs', to='training.sweep')),
            ],
            options={
                'ordering': ['sweep', 'seed'],
            },
        ),
        migrations.CreateModel(
            name='RunMetric',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('attempt', models.PositiveSmallIntegerField()),
                ('step', models.PositiveIntegerField()),
                ('values', models.JSONField()),
                ('run', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='metrics', to='training.trainingrun')),
            ],
            options={
                'ordering': ['run', 'attempt', 'step'],
            },
        ),
        migrations.AddConstraint(
            model_name='sweep',
            constraint=models.UniqueConstraint(condition=models.Q(('idempotency_key__isnull', False)), fields=('created_by', 'idempotency_key'), name='sweep_idempotency_key_per_creator'),
        ),
        migrations.AddConstraint(
            model_name='trainingrun',
            constraint=models.UniqueConstraint(fields=('sweep', 'seed'), name='run_unique_seed_in_sweep'),
        ),
        migrations.AddConstraint(
            model_name='runmetric',
            constraint=models.UniqueConstraint(fields=('run', 'attempt', 'step'), name='metric_unique_run_attempt_step'),
        ),
    ]
