"""The word lists a synthetic catalogue is made of (benchmarks.catalogue.generate): titles and
abstracts from the vocabulary of deep learning, common names, cities, real venue names and topics."""

from community.models import Organization, Venue

ADJECTIVES = (
    "Efficient", "Scalable", "Robust", "Sparse", "Deep", "Shallow", "Self-Supervised", "Contrastive",
    "Hierarchical", "Adaptive", "Causal", "Generative", "Discriminative", "Federated", "Multimodal",
    "Lightweight", "Equivariant", "Probabilistic", "Bayesian", "Differentiable", "Continual",
    "Few-Shot", "Zero-Shot", "Unsupervised", "Semi-Supervised", "Recurrent", "Residual", "Quantized",
    "Distributed", "Interpretable", "Stable", "Fast", "Memory-Efficient", "Parameter-Efficient",
)  # fmt: skip
METHODS = (
    "Transformers", "Convolutional Networks", "Diffusion Models", "Graph Neural Networks",
    "Variational Autoencoders", "Generative Adversarial Networks", "Recurrent Networks", "LSTMs",
    "Attention Mechanisms", "Mixture of Experts", "Normalizing Flows", "Neural ODEs",
    "Vision Transformers", "Language Models", "State Space Models", "Capsule Networks",
    "Energy-Based Models", "Residual Networks", "Autoencoders", "Policy Gradients", "Q-Learning",
    "Knowledge Distillation", "Low-Rank Adaptation", "Batch Normalization", "Dropout",
    "Contrastive Learning", "Meta-Learning", "Neural Architecture Search", "Spiking Networks",
)  # fmt: skip
TASKS = (
    "Image Classification", "Object Detection", "Semantic Segmentation", "Machine Translation",
    "Speech Recognition", "Question Answering", "Text Summarization", "Protein Folding",
    "Molecule Generation", "Time Series Forecasting", "Recommendation", "Anomaly Detection",
    "Video Understanding", "Reinforcement Learning", "Robotic Manipulation", "Image Synthesis",
    "Code Generation", "Named Entity Recognition", "Sentiment Analysis", "Depth Estimation",
    "Pose Estimation", "Domain Adaptation", "Graph Classification", "Link Prediction",
    "Weather Prediction", "Medical Imaging", "Autonomous Driving", "Music Generation",
)  # fmt: skip
PROPERTIES = (
    "Generalization", "Robustness", "Calibration", "Expressivity", "Sample Complexity",
    "Convergence", "Scaling Laws", "Loss Landscape", "Implicit Bias", "Optimization",
)  # fmt: skip
TITLE_PATTERNS = (
    "{adj} {method} for {task}",
    "Towards {adj} {task} with {method}",
    "On the {prop} of {method}",
    "{method} Are {adj} {task} Learners",
    "Rethinking {method} for {task}",
    "{adj} {method}: A Study of {prop}",
    "Learning {task} with {adj} {method}",
    "A Benchmark for {adj} {task}",
    "Understanding the {prop} of {adj} {method}",
)
ABSTRACT_SENTENCES = (
    "We propose {adj_l} {method_l} for {task_l}.",
    "{method} have become the standard approach to {task_l}, yet their {prop_l} is poorly understood.",
    "Our method improves {prop_l} while reducing training cost by a factor of {n}.",
    "Experiments on {n} benchmarks show state-of-the-art results on {task_l}.",
    "We analyse the {prop_l} of {method_l} theoretically and empirically.",
    "Code and pretrained models are publicly available.",
    "Unlike prior work, our approach requires no labelled data for {task_l}.",
    "We release a dataset of {n} thousand examples for {task_l}.",
)
FIRST_NAMES = (
    "Ada", "Alan", "Yann", "Geoffrey", "Yoshua", "Fei", "Andrew", "Ilya", "Oriol", "Demis", "Li",
    "Wei", "Jun", "Min", "Hao", "Xin", "Yu", "Sara", "Maria", "Ana", "Elena", "Olga", "Ivan",
    "Pierre", "Marie", "Lukas", "Anna", "Kenji", "Yuki", "Priya", "Arjun", "Aisha", "Omar",
    "Fatima", "Chen", "Jia", "Tom", "Emma", "Noah", "Lena", "Mateo", "Sofia", "Kwame", "Amara",
)  # fmt: skip
LAST_NAMES = (
    "Smith", "Zhang", "Wang", "Li", "Liu", "Chen", "Kim", "Park", "Nguyen", "Garcia", "Müller",
    "Schmidt", "Rossi", "Dubois", "Ivanova", "Sato", "Tanaka", "Gupta", "Sharma", "Singh", "Khan",
    "Hassan", "Okafor", "Mensah", "Silva", "Santos", "Novak", "Kowalski", "Johansson", "Larsen",
    "Brown", "Wilson", "Taylor", "Martin", "Lee", "Hernández", "López", "Yamamoto", "Kumar", "Ali",
)  # fmt: skip
CITIES = (
    "Montreal", "Toronto", "Berkeley", "Stanford", "Cambridge", "Oxford", "Zurich", "Paris", "Berlin",
    "Munich", "Amsterdam", "Tokyo", "Kyoto", "Beijing", "Shanghai", "Shenzhen", "Hangzhou", "Seoul",
    "Singapore", "Bangalore", "Tel Aviv", "London", "Edinburgh", "Copenhagen", "Stockholm", "Helsinki",
    "Vienna", "Prague", "Warsaw", "Madrid", "Barcelona", "Lisbon", "Milan", "Sydney", "Melbourne",
    "Nairobi", "Lagos", "Cape Town", "São Paulo", "Mexico City", "Vancouver", "Seattle", "Boston",
)  # fmt: skip
ORG_PATTERNS = (
    ("University of {city}", Organization.Kind.RESEARCH_LAB),
    ("{city} Institute of Technology", Organization.Kind.RESEARCH_LAB),
    ("{city} AI Lab", Organization.Kind.COMPANY),
    ("{city} Robotics", Organization.Kind.COMPANY),
    ("{city} Research Council", Organization.Kind.GOVERNMENT),
    ("{city} Open Science Foundation", Organization.Kind.NONPROFIT),
)
VENUES = (
    ("NeurIPS", Venue.Kind.CONFERENCE), ("ICML", Venue.Kind.CONFERENCE), ("ICLR", Venue.Kind.CONFERENCE),
    ("CVPR", Venue.Kind.CONFERENCE), ("ICCV", Venue.Kind.CONFERENCE), ("ECCV", Venue.Kind.CONFERENCE),
    ("ACL", Venue.Kind.CONFERENCE), ("EMNLP", Venue.Kind.CONFERENCE), ("NAACL", Venue.Kind.CONFERENCE),
    ("AAAI", Venue.Kind.CONFERENCE), ("IJCAI", Venue.Kind.CONFERENCE), ("KDD", Venue.Kind.CONFERENCE),
    ("AISTATS", Venue.Kind.CONFERENCE), ("UAI", Venue.Kind.CONFERENCE), ("COLT", Venue.Kind.CONFERENCE),
    ("JMLR", Venue.Kind.JOURNAL), ("TMLR", Venue.Kind.JOURNAL), ("TPAMI", Venue.Kind.JOURNAL),
)  # fmt: skip
TOPICS = (
    "Neural networks", "Computer vision", "Natural language processing", "Reinforcement learning",
    "Generative models", "Graph learning", "Optimization", "Speech", "Robotics",
    "Self-supervised learning", "Transformers", "Convolutional neural networks", "Fairness",
    "Interpretability", "Efficient deep learning", "Theory of deep learning",
)  # fmt: skip
LANGUAGES = ("Python", "C++", "Rust", "Julia", "JavaScript", "Go")
LICENSES = ("MIT", "Apache-2.0", "BSD-3-Clause", "GPL-3.0")
